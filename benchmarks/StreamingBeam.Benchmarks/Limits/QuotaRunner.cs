using StreamingBeam.Benchmarks.Beam;
using StreamingBeam.Testing;

namespace StreamingBeam.Benchmarks.Limits;

/// <summary>Runs one search of a <see cref="QuotaSetup"/> with one <see cref="QuotaStrategy"/>, on fresh providers, a
/// fresh engine and a fresh limiter (so no bucket, cooldown or learned pace carries over from the previous run), and
/// records what it did with its images.</summary>
internal static class QuotaRunner
{
    /// <summary>The source design's fixed caps.</summary>
    public const int CapLlm = 3;

    public const int CapImages = 2;

    public const int CapScoring = 3;

    public static async Task<QuotaRunResult> RunAsync(QuotaSetup setup, QuotaStrategy strategy)
    {
        // Time zero: the provider's bucket is created full right after this.
        var log = new ImageCallLog();
        var providers = SimulatedProviders.Create(BeamScenario.Seed, setup.ProviderOptions());

        IImageGenerator images = setup.WholeSecondRetryAfter ? new WholeSecondRetryAfter(providers.ImageGenerator) : providers.ImageGenerator;
        images = new ImageAttemptRecorder(images, log);
        images = strategy switch
        {
            QuotaStrategy.PerLaneRetry => new PerLaneRetryImageGenerator(images, log, PerLaneRetryPolicy.Default),
            QuotaStrategy.PerLaneRetryForever => new PerLaneRetryImageGenerator(images, log, PerLaneRetryPolicy.Forever),
            _ => images,
        };

        // Created after the provider, as a client's limiter is (its tokens come no earlier than the provider's).
        using var limiter = strategy switch
        {
            QuotaStrategy.Limiter => setup.MatchingLimiter(),
            QuotaStrategy.LimiterBelowBurst => setup.MatchingLimiter(Math.Max(1, setup.Burst - 1)),
            _ => null,
        };
        var fixedCaps = strategy == QuotaStrategy.FixedCaps;
        var engine = new BeamSearchEngine(new ImageReadinessLlm(providers.Llm, log), images, providers.VisionScorer, new BeamEngineOptions
        {
            ImageRateLimiter = limiter,
            MaxConcurrentLlmCalls = fixedCaps ? CapLlm : null,
            MaxConcurrentImageGenerations = fixedCaps ? CapImages : null,
            MaxConcurrentScoringCalls = fixedCaps ? CapScoring : null,
        });

        BeamSearchResult? result = null;
        try
        {
            result = await engine.SearchAsync(BeamScenario.Prompt, setup.SearchOptions());
        }
        catch (BeamSearchException)
        {
            // Nothing was scored (every candidate failed): the run still says what happened to its images.
        }

        var wall = log.Now;
        var calls = log.Calls();
        return new QuotaRunResult(
            setup,
            strategy,
            wall,
            QuotaLateness.Of(calls, wall, setup.Bound),
            result,
            calls,
            QuotaUsage.Utilisation(calls, setup.PerSecond, setup.Burst),
            QuotaUsage.Cooldowns(calls.Refusals),
            providers.ImageGenerator.RateLimitedCalls,
            engine.ImageGate.Cooldown.Refusals,
            result is not null && BestCandidateCheck.SamePrompts(result.Best, setup.Draws.Best));
    }
}

/// <summary>What one run of a strategy did.</summary>
/// <param name="Setup">The workload.</param>
/// <param name="Strategy">The strategy.</param>
/// <param name="Wall">From just before the providers were created to the end of the search.</param>
/// <param name="Late">Where the wall time exceeds the quota bound.</param>
/// <param name="Result">The search's result, or <see langword="null"/> when nothing was scored.</param>
/// <param name="Calls">The image calls.</param>
/// <param name="Utilisation">The quota's utilisation while images waited.</param>
/// <param name="Cooldowns">The 429s grouped into cooldowns.</param>
/// <param name="ProviderRefusals">The 429s the provider answered.</param>
/// <param name="EngineRefusals">The 429s the engine's cooldown saw (none with per-lane retry).</param>
/// <param name="SameBest">Whether the best candidate is the one the draws predict.</param>
internal sealed record QuotaRunResult(
    QuotaSetup Setup,
    QuotaStrategy Strategy,
    TimeSpan Wall,
    QuotaLateness Late,
    BeamSearchResult? Result,
    ImageCalls Calls,
    QuotaUtilisation Utilisation,
    CooldownCount Cooldowns,
    long ProviderRefusals,
    int EngineRefusals,
    bool SameBest)
{
    /// <summary>Gets the candidates that failed: as the result counts them, or every image given up on when the search
    /// ended without a result.</summary>
    public int Failed => Result?.CandidatesFailed ?? Calls.Calls.Count(c => c.GaveUp is not null);

    public int ImagesRendered => Calls.AcceptedAt.Count;
}
