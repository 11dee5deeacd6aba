namespace StreamingBeam.Testing;

/// <summary>An <see cref="IVisionScorer"/> decorator whose every call first waits at a <see cref="CallGate"/> under
/// <see cref="BeamGateKeys.Alignment"/> or <see cref="BeamGateKeys.Aesthetic"/> of the image's prompt (see
/// <see cref="FaultInjectingVisionScorer"/> for how an image is named), then goes to the inner scorer.</summary>
public sealed class GatingVisionScorer : DelegatingVisionScorer
{
    private readonly CallGate _gate;

    /// <summary>Initializes a new instance of the <see cref="GatingVisionScorer"/> class.</summary>
    /// <param name="innerScorer">The scorer a released call goes to.</param>
    /// <param name="gate">The gate every call waits at.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public GatingVisionScorer(IVisionScorer innerScorer, CallGate gate)
        : base(innerScorer)
    {
        ArgumentNullException.ThrowIfNull(gate);
        _gate = gate;
    }

    /// <inheritdoc/>
    public override async Task<VisionScore> ScoreAlignmentAsync(GeneratedImage image, string prompt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        await _gate.EnterAsync(BeamGateKeys.Alignment(ImageKey.Of(image)), cancellationToken).ConfigureAwait(false);
        return await base.ScoreAlignmentAsync(image, prompt, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task<VisionScore> ScoreAestheticAsync(GeneratedImage image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        await _gate.EnterAsync(BeamGateKeys.Aesthetic(ImageKey.Of(image)), cancellationToken).ConfigureAwait(false);
        return await base.ScoreAestheticAsync(image, cancellationToken).ConfigureAwait(false);
    }
}
