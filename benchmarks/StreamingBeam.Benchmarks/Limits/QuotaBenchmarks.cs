using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using StreamingBeam.Benchmarks.Reporting;

namespace StreamingBeam.Benchmarks.Limits;

/// <summary>The same search against an image quota of 10 a second (burst 5, 429 with <c>Retry-After</c> above it), four
/// ways: the engine with a matching token-bucket limiter, the engine relying on its shared cooldown, per-lane retry with
/// back-off and jitter, and the source design's fixed caps. Each run starts from fresh providers, engine and limiter.</summary>
[Config(typeof(Config))]
public class QuotaBenchmarks
{
    private QuotaSetup _setup = QuotaSetup.Standard;

    internal QuotaSetup Setup
    {
        get => _setup;
        set => _setup = value;
    }

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
        var run = await QuotaRunner.RunAsync(_setup, strategy);
        LastRun = run;
        QuotaResults.Record(run);
        return run.ImagesRendered;
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            // No memory diagnoser: its extra run would cost another 8 s per strategy and allocation is not the question.
            Add(BenchmarkConfigs.Create(BenchmarkConfigs.WallClock(iterations: 5), memoryDiagnoser: false));
            var bound = QuotaSetup.Standard.Bound;
            AddColumn(
                new CustomColumn("Bound ms", "Quota bound: head + (images - burst) / rate + tail (see QuotaBound)", (_, _) => Measured.Ms(bound.Value.TotalMilliseconds), 0),
                new CustomColumn("Median/Bound", "Median wall time over the quota bound",
                    (s, c) => Measured.MedianNs(s, c) is { } ns ? Measured.Ratio(ns / 1e6 / bound.Value.TotalMilliseconds) : Measured.Missing, 1),
                new CustomColumn("Median/(images/rate)", "Median wall time over images / rate (8.1 s)",
                    (s, c) => Measured.MedianNs(s, c) is { } ns ? Measured.Ratio(ns / 1e6 / bound.QuotaTime.TotalMilliseconds) : Measured.Missing, 2),
                new CustomColumn("Utilisation", "Median over runs: share of the time images waited during which the quota had no token left (QuotaUsage)",
                    (_, c) => Stat(c, r => r.Utilisation.Value, "0.000"), 3),
                new CustomColumn("429s", "Median over runs: 429s the provider answered", (_, c) => Stat(c, r => r.ProviderRefusals, "0"), 4),
                new CustomColumn("Cooldowns", "Median over runs: cooldowns the 429s started (a 429 inside an announced pause starts none)",
                    (_, c) => Stat(c, r => r.Cooldowns.Cooldowns, "0"), 5),
                new CustomColumn("Max 429s/cooldown", "Over all runs: the most 429s in one cooldown",
                    (_, c) => Runs(c) is { Count: > 0 } runs ? runs.Max(r => r.Cooldowns.MostRefusalsInOne).ToString(System.Globalization.CultureInfo.InvariantCulture) : Measured.Missing, 6),
                new CustomColumn("Failed", "Median over runs: candidates failed (max in brackets)",
                    (_, c) => Runs(c) is { Count: > 0 } runs ? $"{QuotaResults.Median(runs.Select(r => (double)r.Failed))} ({runs.Max(r => r.Failed)})" : Measured.Missing, 7),
                new CustomColumn("Same best", "Runs whose best candidate is the one the draws predict",
                    (_, c) => Runs(c) is { Count: > 0 } runs ? $"{runs.Count(r => r.SameBest)}/{runs.Count}" : Measured.Missing, 8));
        }

        private static IReadOnlyList<QuotaRunResult> Runs(BenchmarkCase c) =>
            QuotaResults.Of(Enum.Parse<QuotaStrategy>(c.Descriptor.WorkloadMethod.Name));

        private static string Stat(BenchmarkCase c, Func<QuotaRunResult, double> value, string format) =>
            Runs(c) is { Count: > 0 } runs
                ? QuotaResults.Median(runs.Select(value)).ToString(format, System.Globalization.CultureInfo.InvariantCulture)
                : Measured.Missing;
    }
}
