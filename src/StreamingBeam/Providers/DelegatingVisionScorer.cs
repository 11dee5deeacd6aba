namespace StreamingBeam;

/// <summary>An <see cref="IVisionScorer"/> that passes every call to an inner scorer: the base of decorators that add one
/// concern (caching, metering, resilience, fault injection) around any scorer.</summary>
/// <remarks>Compose decorators with
/// <see cref="BeamSearchBuilder.UseVisionScorer(Func{IVisionScorer, IServiceProvider, IVisionScorer})"/>.</remarks>
public class DelegatingVisionScorer : IVisionScorer
{
    /// <summary>Initializes a new instance of the <see cref="DelegatingVisionScorer"/> class.</summary>
    /// <param name="innerScorer">The scorer every call is passed to.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerScorer"/> is <see langword="null"/>.</exception>
    protected DelegatingVisionScorer(IVisionScorer innerScorer)
    {
        ArgumentNullException.ThrowIfNull(innerScorer);
        InnerScorer = innerScorer;
    }

    /// <summary>Gets the scorer every call is passed to.</summary>
    protected IVisionScorer InnerScorer { get; }

    /// <inheritdoc/>
    public virtual Task<VisionScore> ScoreAlignmentAsync(GeneratedImage image, string prompt, CancellationToken cancellationToken = default) =>
        InnerScorer.ScoreAlignmentAsync(image, prompt, cancellationToken);

    /// <inheritdoc/>
    public virtual Task<VisionScore> ScoreAestheticAsync(GeneratedImage image, CancellationToken cancellationToken = default) =>
        InnerScorer.ScoreAestheticAsync(image, cancellationToken);
}
