using System.Collections.Concurrent;

namespace StreamingBeam.Testing;

/// <summary>An <see cref="IVisionScorer"/> whose every call waits at a <see cref="CallGate"/> and then returns the
/// scores the test set for the image's prompt (0.5 when none was set).</summary>
public sealed class GatedVisionScorer : IVisionScorer
{
    private readonly ConcurrentDictionary<string, (double Alignment, double Aesthetic)> _scores = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _alignmentTargets = new();

    /// <summary>Initializes a new instance of the <see cref="GatedVisionScorer"/> class.</summary>
    /// <param name="gate">The gate every call waits at.</param>
    public GatedVisionScorer(CallGate gate)
    {
        ArgumentNullException.ThrowIfNull(gate);
        Gate = gate;
    }

    /// <summary>Gets the gate every call waits at.</summary>
    public CallGate Gate { get; }

    /// <summary>Gets or sets the score of images that were not given one with <see cref="SetScores"/>.</summary>
    public double DefaultScore { get; set; } = 0.5;

    /// <summary>Gets or sets the usage every call reports.</summary>
    public ProviderUsage UsagePerCall { get; set; } = new(InputTokens: 100, OutputTokens: 10);

    /// <summary>Gets the prompts alignment was judged against, in call order.</summary>
    public IReadOnlyList<string> AlignmentTargets => _alignmentTargets.ToArray();

    /// <summary>Sets the scores of the image rendered from <paramref name="imagePrompt"/>. Any value is returned as is,
    /// including NaN or values outside [0, 1], to test how bad output is handled.</summary>
    /// <param name="imagePrompt">The prompt the image was rendered from.</param>
    /// <param name="alignment">The alignment score.</param>
    /// <param name="aesthetic">The aesthetic score.</param>
    public void SetScores(string imagePrompt, double alignment, double aesthetic) => _scores[imagePrompt] = (alignment, aesthetic);

    /// <inheritdoc/>
    public async Task<VisionScore> ScoreAlignmentAsync(GeneratedImage image, string prompt, CancellationToken cancellationToken = default)
    {
        var imagePrompt = GatedImageGenerator.PromptOf(image);
        _alignmentTargets.Enqueue(prompt);
        await Gate.EnterAsync(BeamGateKeys.Alignment(imagePrompt), cancellationToken).ConfigureAwait(false);
        var score = _scores.TryGetValue(imagePrompt, out var set) ? set.Alignment : DefaultScore;
        return new VisionScore(score, $"alignment of {imagePrompt} with {prompt}", UsagePerCall);
    }

    /// <inheritdoc/>
    public async Task<VisionScore> ScoreAestheticAsync(GeneratedImage image, CancellationToken cancellationToken = default)
    {
        var imagePrompt = GatedImageGenerator.PromptOf(image);
        await Gate.EnterAsync(BeamGateKeys.Aesthetic(imagePrompt), cancellationToken).ConfigureAwait(false);
        var score = _scores.TryGetValue(imagePrompt, out var set) ? set.Aesthetic : DefaultScore;
        return new VisionScore(score, $"aesthetic of {imagePrompt}", UsagePerCall);
    }
}
