namespace StreamingBeam;

/// <summary>An <see cref="ILlmClient"/> that passes every call to an inner client: the base of decorators that add one
/// concern (caching, metering, resilience, fault injection) around any client.</summary>
/// <remarks>Override only the calls the decorator changes; the rest pass through unchanged, cancellation token included.
/// Compose decorators with <see cref="BeamSearchBuilder.UseLlmClient(Func{ILlmClient, IServiceProvider, ILlmClient})"/>.</remarks>
public class DelegatingLlmClient : ILlmClient
{
    /// <summary>Initializes a new instance of the <see cref="DelegatingLlmClient"/> class.</summary>
    /// <param name="innerClient">The client every call is passed to.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> is <see langword="null"/>.</exception>
    protected DelegatingLlmClient(ILlmClient innerClient)
    {
        ArgumentNullException.ThrowIfNull(innerClient);
        InnerClient = innerClient;
    }

    /// <summary>Gets the client every call is passed to.</summary>
    protected ILlmClient InnerClient { get; }

    /// <inheritdoc/>
    public virtual Task<LlmResponse> ExpandAsync(ExpandRequest request, CancellationToken cancellationToken = default) =>
        InnerClient.ExpandAsync(request, cancellationToken);

    /// <inheritdoc/>
    public virtual Task<LlmResponse> CombineAsync(CombineRequest request, CancellationToken cancellationToken = default) =>
        InnerClient.CombineAsync(request, cancellationToken);

    /// <inheritdoc/>
    public virtual Task<LlmResponse> CritiqueAsync(CritiqueRequest request, CancellationToken cancellationToken = default) =>
        InnerClient.CritiqueAsync(request, cancellationToken);

    /// <inheritdoc/>
    public virtual Task<LlmResponse> RefineAsync(RefineRequest request, CancellationToken cancellationToken = default) =>
        InnerClient.RefineAsync(request, cancellationToken);
}
