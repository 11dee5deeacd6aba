using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace StreamingBeam.Tests.Faults;

/// <summary>Deterministic beam-search providers (all three interfaces) that inject the faults a rule plans for each
/// call, and count every call in a <see cref="CallTracker"/>.</summary>
/// <remarks>
/// <para>
/// Unlike the gated fakes, a call may repeat (retries) and many searches may share the providers: every call is
/// named by its scope (the search's user prompt, carried into the combined prompt and so into images and scores),
/// its stage and its subject, and counts its own attempts.
/// </para>
/// <para>
/// Texts: candidate <c>i</c> of the first iteration expands to <c>W{i}</c> and <c>H{i}</c>; a pair combines to
/// <c>{scope} :: {what}+{how}</c>; a refinement of text <c>x</c> is <c>x&gt;{iteration}.{child}</c>. Subjects: an
/// expansion's is its text, a combine's, image's and score's is <c>{what}+{how}</c>, a critique's
/// <c>{what}+{how}@{iteration}</c>, a refinement's <c>{what}+{how}&gt;{iteration}.{child}</c> (the parent's texts).
/// </para>
/// <para>
/// Scores: the first iteration's candidate <c>i</c> scores <c>0.9 - 0.1 i</c> (floored at 0.05), so c0-0 and c0-1
/// are the first two parents; later candidates score a seeded draw. Healthy calls complete synchronously and ignore
/// their token, as a fast provider would; with <see cref="YieldRate"/> some first yield and then honour it.
/// </para>
/// </remarks>
internal sealed partial class FaultyBeamProviders : ILlmClient, IImageGenerator, IVisionScorer
{
    public const string Separator = " :: ";

    private readonly ConcurrentDictionary<(string Scope, BeamStage Stage, string Subject), int> _attempts = new();

    public FaultyBeamProviders(Func<ProviderCall, Fault>? faults = null, int seed = 0, double yieldRate = 0)
    {
        Faults = faults ?? (_ => Fault.None);
        Seed = seed;
        YieldRate = yieldRate;
    }

    public Func<ProviderCall, Fault> Faults { get; }

    public int Seed { get; }

    /// <summary>Gets the share of calls that yield before answering, which varies the interleaving by seed.</summary>
    public double YieldRate { get; }

    public CallTracker Tracker { get; } = new();

    /// <summary>Gets or sets a value indicating whether the fakes ignore their cancellation token: a hang then ends
    /// only when <see cref="ReleaseIgnoredHangs"/> is called (and then throws), and a slow call answers even after
    /// its token was canceled. Set it before the search starts.</summary>
    public bool IgnoreTokens { get; set; }

    private TaskCompletionSource IgnoredHangs { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Ends every hang that ignores its token, now and later: each throws <see cref="InjectedFaultException"/>.</summary>
    public void ReleaseIgnoredHangs() => IgnoredHangs.TrySetResult();

    public static string Root(PromptDimension dimension, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{(dimension == PromptDimension.What ? 'W' : 'H')}{index}");

    public static string Pair(string what, string how) => $"{what}+{how}";

    public static string RootPair(int index) => Pair(Root(PromptDimension.What, index), Root(PromptDimension.How, index));

    public static string CritiqueSubject(string parentPair, int iteration) =>
        string.Create(CultureInfo.InvariantCulture, $"{parentPair}@{iteration}");

    public static string RefineSubject(string parentPair, int iteration, int child) =>
        string.Create(CultureInfo.InvariantCulture, $"{parentPair}>{iteration}.{child}");

    /// <summary>Gets the pair (<c>{what}+{how}</c>) a combined prompt or candidate was made from.</summary>
    public static string PairOf(string combinedPrompt) =>
        combinedPrompt[(combinedPrompt.IndexOf(Separator, StringComparison.Ordinal) + Separator.Length)..];

    public double ScoreOf(string pair)
    {
        var root = RootPattern().Match(pair);
        if (root.Success)
        {
            return Math.Max(0.05, 0.9 - (0.1 * int.Parse(root.Groups[1].Value, CultureInfo.InvariantCulture)));
        }

        return 0.05 + (0.8 * Draw.Unit(Seed, "score", pair));
    }

    public Task<LlmResponse> ExpandAsync(ExpandRequest request, CancellationToken cancellationToken = default)
    {
        var text = Root(request.Dimension, request.VariantIndex);
        return CallAsync(request.UserPrompt, BeamStage.Expand, text, () => new LlmResponse(text), InvalidText, cancellationToken);
    }

    public Task<LlmResponse> CombineAsync(CombineRequest request, CancellationToken cancellationToken = default)
    {
        var pair = Pair(request.What, request.How);
        return CallAsync(request.UserPrompt, BeamStage.Combine, pair, () => new LlmResponse(request.UserPrompt + Separator + pair), InvalidText, cancellationToken);
    }

    public Task<LlmResponse> CritiqueAsync(CritiqueRequest request, CancellationToken cancellationToken = default)
    {
        var subject = CritiqueSubject(Pair(request.What, request.How), request.Iteration);
        return CallAsync(request.UserPrompt, BeamStage.Critique, subject, () => new LlmResponse("improve " + subject), InvalidText, cancellationToken);
    }

    public Task<LlmResponse> RefineAsync(RefineRequest request, CancellationToken cancellationToken = default)
    {
        var subject = RefineSubject(Pair(request.What, request.How), request.Iteration, request.VariantIndex);
        var text = string.Create(CultureInfo.InvariantCulture, $"{request.Current}>{request.Iteration}.{request.VariantIndex}");
        return CallAsync(request.UserPrompt, BeamStage.Refine, subject, () => new LlmResponse(text), InvalidText, cancellationToken);
    }

    public Task<GeneratedImage> GenerateAsync(string prompt, CancellationToken cancellationToken = default)
    {
        var (scope, pair) = Split(prompt);
        return CallAsync(
            scope,
            BeamStage.Image,
            pair,
            () => new GeneratedImage
            {
                Data = Encoding.UTF8.GetBytes(prompt),
                Metadata = new Dictionary<string, object?> { ["prompt"] = prompt },
                Usage = new ProviderUsage(Images: 1),
            },
            static variant => variant % 2 == 0 ? null! : new GeneratedImage(),
            cancellationToken);
    }

    public Task<VisionScore> ScoreAlignmentAsync(GeneratedImage image, string prompt, CancellationToken cancellationToken = default) =>
        ScoreAsync(image, BeamStage.Alignment, cancellationToken);

    public Task<VisionScore> ScoreAestheticAsync(GeneratedImage image, CancellationToken cancellationToken = default) =>
        ScoreAsync(image, BeamStage.Aesthetic, cancellationToken);

    private static LlmResponse InvalidText(int variant) => (variant % 4) switch
    {
        0 => null!,
        1 => new LlmResponse(null!),
        2 => new LlmResponse(string.Empty),
        _ => new LlmResponse(" \t "),
    };

    private static (string Scope, string Pair) Split(string combinedPrompt)
    {
        var at = combinedPrompt.IndexOf(Separator, StringComparison.Ordinal);
        return (combinedPrompt[..at], combinedPrompt[(at + Separator.Length)..]);
    }

    private Task<VisionScore> ScoreAsync(GeneratedImage image, BeamStage stage, CancellationToken cancellationToken)
    {
        var (scope, pair) = Split((string)image.Metadata!["prompt"]!);
        return CallAsync(
            scope,
            stage,
            pair,
            () => new VisionScore(ScoreOf(pair), $"{stage} of {pair}"),
            static variant => (variant % 5) switch
            {
                0 => null!,
                1 => new VisionScore(double.NaN),
                2 => new VisionScore(-0.25),
                3 => new VisionScore(1.5),
                _ => new VisionScore(double.PositiveInfinity),
            },
            cancellationToken);
    }

    private async Task<T> CallAsync<T>(string scope, BeamStage stage, string subject, Func<T> answer, Func<int, T> invalid, CancellationToken cancellationToken)
    {
        var attempt = _attempts.AddOrUpdate((scope, stage, subject), 1, static (_, n) => n + 1);
        var call = new ProviderCall(scope, stage.ToString(), subject, attempt);
        var fault = Faults(call);
        var succeeded = false;
        Tracker.Enter(call);
        try
        {
            if (YieldRate > 0 && Draw.Unit(Seed, "yield", call.ToString()) < YieldRate)
            {
                await Task.Yield();
                if (!IgnoreTokens)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }

            switch (fault.Kind)
            {
                case FaultKind.Throw:
                    throw new InjectedFaultException(call, transient: false);
                case FaultKind.Transient when attempt <= fault.Failures:
                    throw new InjectedFaultException(call, transient: true);
                case FaultKind.Hang when IgnoreTokens:
                    Tracker.OnBlocking(call);
                    await IgnoredHangs.Task;
                    throw new InjectedFaultException(call, transient: false);
                case FaultKind.Hang:
                    Tracker.OnBlocking(call);
                    await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                    throw new InvalidOperationException("An infinite delay ended without cancellation.");
                case FaultKind.Invalid:
                    return invalid(Draw.Int(Seed, 20, "invalid", call.ToString()));
                case FaultKind.Slow:
                    for (var i = 0; i < fault.Failures; i++)
                    {
                        await Task.Yield();
                        if (!IgnoreTokens)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                        }
                    }

                    break;
            }

            var result = answer();
            succeeded = true;
            return result;
        }
        finally
        {
            Tracker.Exit(call, succeeded);
        }
    }

    [GeneratedRegex(@"^W(\d+)\+H\1$", RegexOptions.CultureInvariant)]
    private static partial Regex RootPattern();
}
