namespace StreamingBeam.Testing;

/// <summary>An <see cref="IExtractor"/> decorator whose every call first waits at a <see cref="CallGate"/> under the
/// extractor's name, then goes to the inner extractor (whose name it keeps).</summary>
public sealed class GatingExtractor : DelegatingExtractor
{
    private readonly CallGate _gate;

    /// <summary>Initializes a new instance of the <see cref="GatingExtractor"/> class.</summary>
    /// <param name="innerExtractor">The extractor a released call goes to.</param>
    /// <param name="gate">The gate every call waits at.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public GatingExtractor(IExtractor innerExtractor, CallGate gate)
        : base(innerExtractor)
    {
        ArgumentNullException.ThrowIfNull(gate);
        _gate = gate;
    }

    /// <inheritdoc/>
    public override async Task<ExtractorOutput> ExtractAsync(ExtractionContext context, CancellationToken cancellationToken = default)
    {
        await _gate.EnterAsync(Name, cancellationToken).ConfigureAwait(false);
        return await base.ExtractAsync(context, cancellationToken).ConfigureAwait(false);
    }
}
