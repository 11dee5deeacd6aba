using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace StreamingBeam.Benchmarks.Limits;

/// <summary>The same search against an image quota of 10 a second (burst 5, 429 with a <c>Retry-After</c> to the
/// millisecond above it), each way of dealing with it: the engine with a matching token-bucket limiter (and one with a
/// burst one below), the engine relying on its shared cooldown, per-lane retry with back-off and jitter (3 retries, and
/// until accepted), and the source design's fixed caps. Each run starts from fresh providers, engine and limiter.</summary>
[Config(typeof(Config))]
public class QuotaBenchmarks
{
    internal QuotaSetup Setup { get; set; } = QuotaSetup.Standard;

    /// <summary>Gets the last run's record.</summary>
    internal QuotaRunResult? LastRun { get; private set; }

    /// <summary>(a) A <c>TokenBucketRateLimiter</c> matching the quota as the engine's image limiter.</summary>
    [Benchmark(Baseline = true, Description = "Limiter")]
    public Task<int> Limiter() => RunAsync(QuotaStrategy.Limiter);

    /// <summary>(a') As (a), the limiter's burst one below the quota's.</summary>
    [Benchmark(Description = "LimiterBelowBurst")]
    public Task<int> LimiterBelowBurst() => RunAsync(QuotaStrategy.LimiterBelowBurst);

    /// <summary>(b) No limiter: the engine's shared cooldown handles every 429.</summary>
    [Benchmark(Description = "Cooldown")]
    public Task<int> Cooldown() => RunAsync(QuotaStrategy.Cooldown);

    /// <summary>(c) Per-lane retry with exponential back-off and jitter, 3 retries.</summary>
    [Benchmark(Description = "PerLaneRetry")]
    public Task<int> PerLaneRetry() => RunAsync(QuotaStrategy.PerLaneRetry);

    /// <summary>(c') Per-lane retry until accepted.</summary>
    [Benchmark(Description = "PerLaneRetryForever")]
    public Task<int> PerLaneRetryForever() => RunAsync(QuotaStrategy.PerLaneRetryForever);

    /// <summary>(d) The source design's caps: LLM 3, images 2, scores 3.</summary>
    [Benchmark(Description = "FixedCaps")]
    public Task<int> FixedCaps() => RunAsync(QuotaStrategy.FixedCaps);

    internal async Task<int> RunAsync(QuotaStrategy strategy)
    {
        var run = await QuotaRunner.RunAsync(Setup, strategy);
        LastRun = run;
        QuotaResults.Record(run);
        return run.ImagesRendered;
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            Add(QuotaColumns.Config(QuotaSetup.Standard));
        }
    }
}
