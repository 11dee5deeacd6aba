using System.Globalization;
using System.Text;

namespace StreamingBeam.Testing;

/// <summary>A vision scorer that judges images offline, with scores that reward what a good prompt has, plus seeded noise.</summary>
/// <remarks>
/// <para>
/// Both scores read the prompt the image was rendered from, in <see cref="GeneratedImage.Metadata"/> entry
/// <c>prompt</c> (which <see cref="SimulatedImageGenerator"/> writes):
/// </para>
/// <list type="bullet">
/// <item><description>Alignment is 0.12 + 0.68 × (share of the judged prompt's meaningful words found in the rendered
/// prompt) + 0.04 × (specific subjects, settings and details named, up to 4), plus noise.</description></item>
/// <item><description>Aesthetic is 0.1 + 0.16 × (style aspects named, of medium, lighting, palette, composition and
/// mood), plus noise.</description></item>
/// </list>
/// <para>
/// Noise is uniform in ±<see cref="SimulatedVisionScorerOptions.Noise"/>, drawn from the seed, the image and the prompt,
/// and scores are clamped to [0, 1]. An image without a recorded prompt scores 0.5 plus noise. Bad output (fault
/// injection) is NaN, an infinity or a score outside [0, 1]. All members are thread-safe.
/// </para>
/// </remarks>
public sealed class SimulatedVisionScorer : IVisionScorer
{
    private const int ImageTokens = 258;
    private const int InstructionTokens = 30;

    private static readonly SimulatedOperation[] Operations = [SimulatedOperation.ScoreAlignment, SimulatedOperation.ScoreAesthetic];
    private static readonly double[] InvalidScores = [double.NaN, 1.7, -0.25, double.PositiveInfinity];
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private readonly SimulationCore _core;
    private readonly decimal _costPerCall;
    private readonly double _noise;

    /// <summary>Initializes a new instance of the <see cref="SimulatedVisionScorer"/> class.</summary>
    /// <param name="seed">The seed every draw derives from. Scorers with the same seed and options behave identically.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults. They are copied: later changes have no effect.</param>
    /// <param name="timeProvider">The clock latencies wait on, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names it and the rule.</exception>
    public SimulatedVisionScorer(long seed, SimulatedVisionScorerOptions? options = null, TimeProvider? timeProvider = null)
    {
        options ??= new SimulatedVisionScorerOptions();
        options.Validate();
        _core = new SimulationCore(nameof(SimulatedVisionScorer), seed, options, Operations, timeProvider);
        _costPerCall = options.CostPerCall;
        _noise = options.Noise;
    }

    /// <summary>Gets the seed every draw derives from.</summary>
    public long Seed => _core.Seed;

    /// <summary>Gets how many calls this provider refused with <see cref="ProviderRateLimitedException"/> (HTTP 429)
    /// because its <see cref="SimulatedProviderOptions.Quota"/> was used up: the 429s its callers received.</summary>
    /// <value>0 without a quota. Thread-safe; it only grows.</value>
    public long RateLimitedCalls => _core.RateLimitedCalls;

    /// <inheritdoc/>
    public Task<VisionScore> ScoreAlignmentAsync(GeneratedImage image, string prompt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(prompt);
        return _core.RunAsync(SimulatedOperation.ScoreAlignment, RequestKeys.OfAlignment(image, prompt), (Scorer: this, Image: image, Prompt: prompt),
            static (s, key) => s.Scorer.Alignment(s.Image, s.Prompt, key), Invalid, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<VisionScore> ScoreAestheticAsync(GeneratedImage image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        return _core.RunAsync(SimulatedOperation.ScoreAesthetic, RequestKeys.OfAesthetic(image), (Scorer: this, Image: image),
            static (s, key) => s.Scorer.Aesthetic(s.Image, key), Invalid, cancellationToken);
    }

    /// <summary>Gets how long <see cref="ScoreAlignmentAsync"/> waits for this image and prompt, without calling it.</summary>
    /// <param name="image">The image.</param>
    /// <param name="prompt">The prompt it would be judged against.</param>
    /// <returns>The latency of the first call with these arguments.</returns>
    public TimeSpan GetAlignmentLatency(GeneratedImage image, string prompt)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(prompt);
        return _core.GetLatency(SimulatedOperation.ScoreAlignment, RequestKeys.OfAlignment(image, prompt));
    }

    /// <summary>Gets how long <see cref="ScoreAestheticAsync"/> waits for this image, without calling it.</summary>
    /// <param name="image">The image.</param>
    /// <returns>The latency of the first call with this image.</returns>
    public TimeSpan GetAestheticLatency(GeneratedImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return _core.GetLatency(SimulatedOperation.ScoreAesthetic, RequestKeys.OfAesthetic(image));
    }

    private static VisionScore Invalid(ulong key) =>
        new(InvalidScores[key % (ulong)InvalidScores.Length], "Simulated invalid score (fault injection, InvalidOutputRate).");

    private VisionScore Alignment(GeneratedImage image, string prompt, ulong key)
    {
        var noise = Noise(key);
        var rendered = RequestKeys.RenderedPrompt(image);
        if (rendered is null)
        {
            var blind = Math.Clamp(0.5 + noise, 0, 1);
            return Score(blind, string.Create(Invariant, $"No rendered prompt is recorded with the image, so alignment is a guess: {blind:0.00}."), prompt);
        }

        var wanted = Vocabulary.ContentWords(prompt);
        var present = new HashSet<string>(Vocabulary.ContentWords(rendered), StringComparer.Ordinal);
        var found = wanted.Where(present.Contains).ToList();
        var missing = wanted.Where(w => !present.Contains(w)).ToList();
        var coverage = wanted.Count == 0 ? 0.5 : (double)found.Count / wanted.Count;
        var details = Vocabulary.Subjects.Concat(Vocabulary.Settings).Concat(Vocabulary.Details)
            .Count(phrase => rendered.Contains(phrase, StringComparison.OrdinalIgnoreCase));
        var score = Math.Clamp(0.12 + (0.68 * coverage) + (0.04 * Math.Min(details, 4)) + noise, 0, 1);

        var analysis = new StringBuilder();
        analysis.Append(string.Create(Invariant, $"The image shows {found.Count} of the {wanted.Count} requested elements"));
        if (found.Count > 0)
        {
            analysis.Append(" (").Append(Vocabulary.JoinAnd(found)).Append(')');
        }

        if (missing.Count > 0)
        {
            analysis.Append("; it lacks ").Append(Vocabulary.JoinAnd(missing));
        }

        analysis.Append(string.Create(Invariant, $", with {details} specific detail{(details == 1 ? string.Empty : "s")}. Alignment {score:0.00}."));
        return Score(score, analysis.ToString(), prompt);
    }

    private VisionScore Aesthetic(GeneratedImage image, ulong key)
    {
        var noise = Noise(key);
        var rendered = RequestKeys.RenderedPrompt(image);
        if (rendered is null)
        {
            var blind = Math.Clamp(0.5 + noise, 0, 1);
            return Score(blind, string.Create(Invariant, $"No rendered prompt is recorded with the image, so the aesthetic score is a guess: {blind:0.00}."), null);
        }

        var covered = Vocabulary.AspectsCovered(rendered);
        var missing = Vocabulary.StyleAspects.Where(a => !covered.Contains(a)).Select(a => a.Name).ToList();
        var score = Math.Clamp(0.1 + (0.16 * covered.Count) + noise, 0, 1);
        var analysis = new StringBuilder();
        analysis.Append(covered.Count == 0
            ? "The style is unspecified"
            : "The style names its " + Vocabulary.JoinAnd(covered.Select(a => a.Name).ToList()));
        if (missing.Count > 0 && covered.Count > 0)
        {
            analysis.Append(" but not its ").Append(Vocabulary.JoinAnd(missing, "or"));
        }

        analysis.Append(string.Create(Invariant, $". Aesthetic {score:0.00}."));
        return Score(score, analysis.ToString(), null);
    }

    private double Noise(ulong key) => _noise == 0 ? 0 : ((2 * Draws.Uniform(key, Draws.Noise)) - 1) * _noise;

    private VisionScore Score(double score, string analysis, string? prompt)
    {
        var inputTokens = ImageTokens + InstructionTokens + (((prompt?.Length ?? 0) + 3) / 4);
        var outputTokens = (analysis.Length + 3) / 4;
        return new VisionScore(score, analysis, new ProviderUsage(inputTokens, outputTokens, 0, _costPerCall));
    }
}
