namespace StreamingBeam.Testing;

/// <summary>An <see cref="ILlmClient"/> decorator that fails, hangs or answers an empty text for some calls, as
/// <see cref="FaultInjectionOptions"/> decides, and passes the others to the inner client.</summary>
public sealed class FaultInjectingLlmClient : DelegatingLlmClient
{
    private readonly FaultPlan _plan;

    /// <summary>Initializes a new instance of the <see cref="FaultInjectingLlmClient"/> class.</summary>
    /// <param name="innerClient">The client the calls that are spared go to.</param>
    /// <param name="options">Which calls to fault; copied.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid.</exception>
    public FaultInjectingLlmClient(ILlmClient innerClient, FaultInjectionOptions options)
        : base(innerClient) => _plan = new FaultPlan(options, nameof(ILlmClient));

    /// <inheritdoc/>
    public override Task<LlmResponse> ExpandAsync(ExpandRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _plan.RunAsync(BeamGateKeys.Expand(request.Dimension, request.VariantIndex), ct => base.ExpandAsync(request, ct), Empty, cancellationToken);
    }

    /// <inheritdoc/>
    public override Task<LlmResponse> CombineAsync(CombineRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _plan.RunAsync(BeamGateKeys.Combine(request.What, request.How), ct => base.CombineAsync(request, ct), Empty, cancellationToken);
    }

    /// <inheritdoc/>
    public override Task<LlmResponse> CritiqueAsync(CritiqueRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _plan.RunAsync(
            BeamGateKeys.Critique(request.Iteration, request.What, request.How), ct => base.CritiqueAsync(request, ct), Empty, cancellationToken);
    }

    /// <inheritdoc/>
    public override Task<LlmResponse> RefineAsync(RefineRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _plan.RunAsync(
            BeamGateKeys.Refine(request.Iteration, request.What, request.How, request.VariantIndex),
            ct => base.RefineAsync(request, ct),
            Empty,
            cancellationToken);
    }

    private static LlmResponse Empty() => new(string.Empty);
}
