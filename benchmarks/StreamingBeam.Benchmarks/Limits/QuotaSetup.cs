using System.Threading.RateLimiting;
using StreamingBeam.Benchmarks.Beam;
using StreamingBeam.Testing;

namespace StreamingBeam.Benchmarks.Limits;

/// <summary>One rate-limited workload: the search's size and latencies, and the image quota.</summary>
/// <param name="BeamWidth">N (M = N / 3).</param>
/// <param name="Iterations">The search's iterations.</param>
/// <param name="Sigma">The spread of every stage's log-normal latency.</param>
/// <param name="LatencyScale">A factor on every median latency.</param>
/// <param name="PerSecond">Images the provider's key allows per second.</param>
/// <param name="Burst">The most images the key allows at once.</param>
/// <param name="WholeSecondRetryAfter">Whether the provider states <c>Retry-After</c> in whole seconds, as the HTTP header
/// does (see <see cref="Limits.WholeSecondRetryAfter"/>), instead of to the millisecond.</param>
internal sealed record QuotaSetup(int BeamWidth, int Iterations, double Sigma, double LatencyScale, int PerSecond, int Burst, bool WholeSecondRetryAfter = false)
{
    /// <summary>Gets the workload: N 27, M 9, 3 iterations, sigma 0.75, the beam benchmark's latencies, 10 images
    /// a second with a burst of 5 (see <see cref="QuotaScenario"/>).</summary>
    public static QuotaSetup Standard { get; } = new(
        QuotaScenario.BeamWidth, BeamScenario.Iterations, QuotaScenario.Sigma, 1.0, QuotaScenario.ImagesPerSecond, QuotaScenario.Burst);

    /// <summary>Gets the standard workload with <c>Retry-After</c> in whole seconds.</summary>
    public static QuotaSetup WholeSeconds { get; } = Standard with { WholeSecondRetryAfter = true };

    public BeamDraws Draws => BeamDraws.For(BeamWidth, Sigma, LatencyScale, Iterations);

    public QuotaBound Bound => QuotaBound.Of(Draws, PerSecond, Burst);

    /// <summary>Gets the engine's own schedule under the quota on the draws, with zero overhead and every call admitted
    /// the moment the bucket has a token, first come, first served (<see cref="ImageLimitedSchedule"/>): what the engine
    /// could reach without knowing latencies in advance.</summary>
    public TimeSpan OwnBound => ImageLimitedSchedule.Run(Draws, ImageLimit.Quota(PerSecond, Burst)).Wall;

    public BeamSearchOptions SearchOptions() => BeamScenario.SearchOptions(BeamWidth, Iterations);

    /// <summary>The simulated providers' options: the beam scenario's latencies and the image quota.</summary>
    public SimulatedProvidersOptions ProviderOptions()
    {
        var options = BeamScenario.LatencyOptions(Sigma, LatencyScale);
        options.ImageGenerator.Quota = SimulatedQuotaOptions.PerSecond(PerSecond, Burst);
        return options;
    }

    /// <summary>Strategy (a)'s limiter: the quota itself as a <see cref="TokenBucketRateLimiter"/> (one token per
    /// 1 / <see cref="PerSecond"/>, at most <see cref="Burst"/>, full at creation), queueing every call oldest first.</summary>
    /// <param name="burst">The limiter's burst, or <see langword="null"/> for the quota's.</param>
    public TokenBucketRateLimiter MatchingLimiter(int? burst = null) => new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = burst ?? Burst,
        TokensPerPeriod = 1,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1.0 / PerSecond),
        QueueLimit = 100_000,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        AutoReplenishment = true,
    });
}
