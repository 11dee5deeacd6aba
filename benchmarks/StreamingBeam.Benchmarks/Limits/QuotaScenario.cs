namespace StreamingBeam.Benchmarks.Limits;

/// <summary>The rate-limited workload of issue #16: the beam scenario's search (N 27, M 9, 3 iterations, sigma 0.75, the
/// same seed and so the same draws) against an image provider whose key allows 10 images a second with a burst of 5,
/// answering 429 with <c>Retry-After</c> above it.</summary>
/// <remarks>
/// The latencies are the beam benchmark's (image median 100 ms, LLM 20 ms, scores 30 ms). A real image model takes about
/// 12 s against a quota of a few images a minute: the same ratio of latency to quota interval, about one image in flight
/// fills the quota. At this scale a run takes about 8 s, all of it on the real clock: <c>System.Threading.RateLimiting</c>'s
/// token bucket replenishes on real time (it takes no <see cref="TimeProvider"/>), so the simulated provider's bucket
/// and the engine run on <see cref="TimeProvider.System"/> too.
/// </remarks>
internal static class QuotaScenario
{
    public const int BeamWidth = 27;

    public const double Sigma = 0.75;

    /// <summary>Images the provider's key allows per second.</summary>
    public const int ImagesPerSecond = 10;

    /// <summary>The most images the key allows at once after a quiet spell.</summary>
    public const int Burst = 5;
}
