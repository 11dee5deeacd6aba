namespace StreamingBeam.Testing;

/// <summary>An <see cref="ILlmClient"/> decorator whose every call first waits at a <see cref="CallGate"/> under its
/// <see cref="BeamGateKeys"/> key, then goes to the inner client: step-by-step control over any client.</summary>
public sealed class GatingLlmClient : DelegatingLlmClient
{
    private readonly CallGate _gate;

    /// <summary>Initializes a new instance of the <see cref="GatingLlmClient"/> class.</summary>
    /// <param name="innerClient">The client a released call goes to.</param>
    /// <param name="gate">The gate every call waits at.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public GatingLlmClient(ILlmClient innerClient, CallGate gate)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(gate);
        _gate = gate;
    }

    /// <inheritdoc/>
    public override async Task<LlmResponse> ExpandAsync(ExpandRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _gate.EnterAsync(BeamGateKeys.Expand(request.Dimension, request.VariantIndex), cancellationToken).ConfigureAwait(false);
        return await base.ExpandAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task<LlmResponse> CombineAsync(CombineRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _gate.EnterAsync(BeamGateKeys.Combine(request.What, request.How), cancellationToken).ConfigureAwait(false);
        return await base.CombineAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task<LlmResponse> CritiqueAsync(CritiqueRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _gate.EnterAsync(BeamGateKeys.Critique(request.Iteration, request.What, request.How), cancellationToken).ConfigureAwait(false);
        return await base.CritiqueAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task<LlmResponse> RefineAsync(RefineRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _gate.EnterAsync(BeamGateKeys.Refine(request.Iteration, request.What, request.How, request.VariantIndex), cancellationToken)
            .ConfigureAwait(false);
        return await base.RefineAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
