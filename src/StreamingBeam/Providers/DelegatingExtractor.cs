namespace StreamingBeam;

/// <summary>An <see cref="IExtractor"/> that passes every call to an inner extractor and keeps its name: the base of
/// decorators that add one concern (caching, metering, resilience, fault injection) around any extractor.</summary>
/// <remarks>Compose decorators with
/// <see cref="ExtractionBuilder.UseExtractors(Func{IExtractor, IServiceProvider, IExtractor})"/>, which wraps every
/// extractor the builder adds.</remarks>
public class DelegatingExtractor : IExtractor
{
    /// <summary>Initializes a new instance of the <see cref="DelegatingExtractor"/> class.</summary>
    /// <param name="innerExtractor">The extractor every call is passed to.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerExtractor"/> is <see langword="null"/>.</exception>
    protected DelegatingExtractor(IExtractor innerExtractor)
    {
        ArgumentNullException.ThrowIfNull(innerExtractor);
        InnerExtractor = innerExtractor;
    }

    /// <summary>Gets the extractor every call is passed to.</summary>
    protected IExtractor InnerExtractor { get; }

    /// <inheritdoc/>
    public virtual string Name => InnerExtractor.Name;

    /// <inheritdoc/>
    public virtual Task<ExtractorOutput> ExtractAsync(ExtractionContext context, CancellationToken cancellationToken = default) =>
        InnerExtractor.ExtractAsync(context, cancellationToken);
}
