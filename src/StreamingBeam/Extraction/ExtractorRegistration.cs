namespace StreamingBeam;

/// <summary>An extractor and the options an <see cref="ExtractionEngine"/> runs it with.</summary>
public sealed class ExtractorRegistration
{
    /// <summary>Initializes a new instance of the <see cref="ExtractorRegistration"/> class.</summary>
    /// <param name="extractor">The extractor.</param>
    /// <param name="options">How the run treats it, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="extractor"/> is <see langword="null"/>.</exception>
    public ExtractorRegistration(IExtractor extractor, ExtractorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        Extractor = extractor;
        Options = options ?? new ExtractorOptions();
    }

    /// <summary>Gets the extractor.</summary>
    public IExtractor Extractor { get; }

    /// <summary>Gets how the run treats the extractor.</summary>
    public ExtractorOptions Options { get; }
}
