using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace StreamingBeam.Benchmarks.Reporting;

/// <summary>Jobs shared by the benchmark classes.</summary>
internal static class BenchmarkConfigs
{
    /// <summary>For benchmarks that wait on real timers (tens of milliseconds to seconds per operation): one invocation
    /// per iteration, no pilot or overhead stage, and few iterations, so the whole suite fits twenty minutes on two cores.
    /// In process, so that the columns can read what the benchmark bodies observed (time to each result, same best).</summary>
    public static Job WallClock(int iterations) => Job.Default
        .WithStrategy(RunStrategy.Monitoring)
        .WithLaunchCount(1)
        .WithWarmupCount(1)
        .WithIterationCount(iterations)
        .WithInvocationCount(1)
        .WithUnrollFactor(1)
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithId("WallClock");

    /// <summary>For microsecond-scale CPU work: a separate process, BenchmarkDotNet's pilot picks the invocation count,
    /// a shortened number of iterations keeps the suite's run time in budget.</summary>
    public static Job Throughput() => Job.Default
        .WithLaunchCount(1)
        .WithWarmupCount(3)
        .WithIterationCount(10)
        .WithId("Throughput");

    /// <param name="job">The job.</param>
    /// <param name="memoryDiagnoser">Whether to measure allocations (one more run per case).</param>
    public static ManualConfig Create(Job job, bool memoryDiagnoser = true)
    {
        var config = ManualConfig.CreateEmpty();
        config.AddJob(job);
        if (memoryDiagnoser)
        {
            config.AddDiagnoser(MemoryDiagnoser.Default);
        }

        config.AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max);
        return config;
    }
}
