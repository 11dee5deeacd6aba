namespace StreamingBeam.Testing;

/// <summary>An <see cref="IVisionScorer"/> decorator that fails, hangs or answers a NaN score for some calls, as
/// <see cref="FaultInjectionOptions"/> decides, and passes the others to the inner scorer.</summary>
/// <remarks>Calls are keyed by the image's prompt (<see cref="BeamGateKeys.Alignment"/>,
/// <see cref="BeamGateKeys.Aesthetic"/>) when the image carries one in its <c>prompt</c> metadata, else by its URI or
/// data length.</remarks>
public sealed class FaultInjectingVisionScorer : DelegatingVisionScorer
{
    private readonly FaultPlan _plan;

    /// <summary>Initializes a new instance of the <see cref="FaultInjectingVisionScorer"/> class.</summary>
    /// <param name="innerScorer">The scorer the calls that are spared go to.</param>
    /// <param name="options">Which calls to fault; copied.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid.</exception>
    public FaultInjectingVisionScorer(IVisionScorer innerScorer, FaultInjectionOptions options)
        : base(innerScorer) => _plan = new FaultPlan(options, nameof(IVisionScorer));

    /// <inheritdoc/>
    public override Task<VisionScore> ScoreAlignmentAsync(GeneratedImage image, string prompt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        return _plan.RunAsync(
            BeamGateKeys.Alignment(ImageKey.Of(image)), ct => base.ScoreAlignmentAsync(image, prompt, ct), NotANumber, cancellationToken);
    }

    /// <inheritdoc/>
    public override Task<VisionScore> ScoreAestheticAsync(GeneratedImage image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        return _plan.RunAsync(
            BeamGateKeys.Aesthetic(ImageKey.Of(image)), ct => base.ScoreAestheticAsync(image, ct), NotANumber, cancellationToken);
    }

    private static VisionScore NotANumber() => new(double.NaN);
}
