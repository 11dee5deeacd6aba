namespace StreamingBeam.Testing;

/// <summary>An <see cref="IExtractor"/> decorator that fails, hangs or answers a null output for some calls, as
/// <see cref="FaultInjectionOptions"/> decides (keyed by the extractor's name), and passes the others on.</summary>
public sealed class FaultInjectingExtractor : DelegatingExtractor
{
    private readonly FaultPlan _plan;

    /// <summary>Initializes a new instance of the <see cref="FaultInjectingExtractor"/> class.</summary>
    /// <param name="innerExtractor">The extractor the calls that are spared go to; its name is kept.</param>
    /// <param name="options">Which calls to fault; copied.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid.</exception>
    public FaultInjectingExtractor(IExtractor innerExtractor, FaultInjectionOptions options)
        : base(innerExtractor) => _plan = new FaultPlan(options, nameof(IExtractor));

    /// <inheritdoc/>
    public override Task<ExtractorOutput> ExtractAsync(ExtractionContext context, CancellationToken cancellationToken = default) =>
        _plan.RunAsync(Name, ct => base.ExtractAsync(context, ct), static () => null!, cancellationToken);
}
