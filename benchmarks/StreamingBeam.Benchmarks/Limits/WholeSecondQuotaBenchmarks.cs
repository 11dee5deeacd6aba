using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace StreamingBeam.Benchmarks.Limits;

/// <summary>The quota workload with the provider stating <c>Retry-After</c> in whole seconds, as the HTTP header does
/// (<see cref="WholeSecondRetryAfter"/>): the engine's two ways, and a limiter one token below the quota's burst.</summary>
[Config(typeof(Config))]
public class WholeSecondQuotaBenchmarks
{
    private readonly QuotaBenchmarks _runner = new() { Setup = QuotaSetup.WholeSeconds };

    /// <summary>(a) A limiter matching the quota.</summary>
    [Benchmark(Baseline = true, Description = "Limiter")]
    public Task<int> Limiter() => _runner.RunAsync(QuotaStrategy.Limiter);

    /// <summary>(a') A limiter one token below the quota's burst.</summary>
    [Benchmark(Description = "LimiterBelowBurst")]
    public Task<int> LimiterBelowBurst() => _runner.RunAsync(QuotaStrategy.LimiterBelowBurst);

    /// <summary>(b) No limiter: the shared cooldown.</summary>
    [Benchmark(Description = "Cooldown")]
    public Task<int> Cooldown() => _runner.RunAsync(QuotaStrategy.Cooldown);

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            Add(QuotaColumns.Config(QuotaSetup.WholeSeconds));
        }
    }
}
