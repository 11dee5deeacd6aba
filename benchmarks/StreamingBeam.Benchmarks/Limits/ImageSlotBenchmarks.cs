using System.Collections.Concurrent;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using StreamingBeam.Benchmarks.Beam;
using StreamingBeam.Benchmarks.Reporting;

namespace StreamingBeam.Benchmarks.Limits;

/// <summary>The engine under a plain concurrency limit on images (4 at N 27, 3 at N 9; no quota), against the total image
/// time over the limit and against its own schedule under that limit with zero overhead (<see cref="ImageLimitedSchedule"/>).</summary>
[Config(typeof(Config))]
public class ImageSlotBenchmarks
{
    private static readonly ConcurrentDictionary<(string Method, int N), ConcurrentQueue<ImageSlotRun>> Runs = new();

    /// <summary>Gets or sets the beam width N (M = N / 3).</summary>
    [Params(9, 27)]
    public int N { get; set; } = 27;

    /// <summary>Gets or sets a factor on every median latency (the smoke run shrinks them).</summary>
    internal double LatencyScale { get; set; } = 1.0;

    /// <summary>Gets or sets the number of iterations of the search.</summary>
    internal int Iterations { get; set; } = BeamScenario.Iterations;

    /// <summary>Gets the last run's record.</summary>
    internal ImageSlotRun? LastRun { get; private set; }

    /// <summary>The engine as shipped (promotion on).</summary>
    [Benchmark(Baseline = true, Description = "Engine")]
    public Task<int> Engine() => RunAsync(nameof(Engine), promote: true);

    /// <summary>The strict ranking barrier.</summary>
    [Benchmark(Description = "EngineStrict")]
    public Task<int> EngineStrict() => RunAsync(nameof(EngineStrict), promote: false);

    /// <summary>Gets the measured runs of a case (the warm-up left out, see <see cref="QuotaResults"/>).</summary>
    internal static IReadOnlyList<ImageSlotRun> Of(string method, int n) =>
        Runs.TryGetValue((method, n), out var runs) ? QuotaResults.Measured(runs.ToArray()) : [];

    /// <summary>The total drawn image time over the limit.</summary>
    internal static TimeSpan ImageBound(int n) =>
        BeamDraws.For(n, 0.75).Iterations.SelectMany(l => l).Aggregate(TimeSpan.Zero, (sum, l) => sum + l.Image) / ImageSlotRunner.SlotsFor(n);

    /// <summary>The engine's own schedule under the limit, FIFO, zero overhead.</summary>
    internal static TimeSpan OwnBound(int n, bool promote) =>
        ImageLimitedSchedule.Run(BeamDraws.For(n, 0.75), ImageLimit.Slots(ImageSlotRunner.SlotsFor(n)), ImageOrder.Fifo, promote).Wall;

    private async Task<int> RunAsync(string method, bool promote)
    {
        var run = await ImageSlotRunner.RunAsync(N, promote, 0.75, LatencyScale, Iterations);
        LastRun = run;
        Runs.GetOrAdd((method, N), _ => new()).Enqueue(run);
        return run.SameBest ? 1 : 0;
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            Add(BenchmarkConfigs.Create(BenchmarkConfigs.WallClock(iterations: 5), memoryDiagnoser: false));
            AddColumn(
                new CustomColumn("Slots", "Images at once", (_, c) => ImageSlotRunner.SlotsFor(N(c)).ToString(CultureInfo.InvariantCulture), 0),
                new CustomColumn("Image time/limit ms", "Total drawn image time over the limit", (_, c) => Measured.Ms(ImageBound(N(c)).TotalMilliseconds), 1),
                new CustomColumn("Own bound ms", "The engine's own schedule under the limit on the draws, zero overhead (ImageLimitedSchedule, FIFO)",
                    (_, c) => Measured.Ms(OwnBound(N(c), Promote(c)).TotalMilliseconds), 2),
                new CustomColumn("Median/(image time/limit)", "Median wall time over the total image time / limit",
                    (s, c) => Measured.MedianNs(s, c) is { } ns ? Measured.Ratio(ns / 1e6 / ImageBound(N(c)).TotalMilliseconds) : Measured.Missing, 3),
                new CustomColumn("Median/own bound", "Median wall time over the engine's own schedule under the limit",
                    (s, c) => Measured.MedianNs(s, c) is { } ns ? Measured.Ratio(ns / 1e6 / OwnBound(N(c), Promote(c)).TotalMilliseconds) : Measured.Missing, 4),
                new CustomColumn("Head ms", "Median over runs: idle slots before the first image, over the limit", (_, c) => Stat(c, u => u.Head), 5),
                new CustomColumn("Barriers ms", "Median over runs: idle slots with nothing to render between the first and last image start, over the limit", (_, c) => Stat(c, u => u.Middle), 6),
                new CustomColumn("Tail ms", "Median over runs: idle slots after the last image started, over the limit", (_, c) => Stat(c, u => u.Tail), 7),
                new CustomColumn("Held ms", "Median over runs: idle slots while an image waited, over the limit", (_, c) => Stat(c, u => u.IdleWhileWaiting), 8),
                new CustomColumn("Image late ms", "Median over runs: measured image time minus drawn image time, over the limit (timers firing late)",
                    (_, c) => Runs(c) is { Count: > 0 } runs
                        ? Measured.Ms(QuotaResults.Median(runs.Select(r => r.Usage.ImageWall.TotalMilliseconds)) - ImageBound(N(c)).TotalMilliseconds)
                        : Measured.Missing, 9),
                new CustomColumn("Same best", "Runs whose best candidate is the one the draws predict",
                    (_, c) => Runs(c) is { Count: > 0 } runs ? $"{runs.Count(r => r.SameBest)}/{runs.Count}" : Measured.Missing, 10));
        }

        private static int N(BenchmarkCase c) => Measured.Param<int>(c, nameof(ImageSlotBenchmarks.N));

        private static bool Promote(BenchmarkCase c) => c.Descriptor.WorkloadMethod.Name == nameof(Engine);

        private static IReadOnlyList<ImageSlotRun> Runs(BenchmarkCase c) => Of(c.Descriptor.WorkloadMethod.Name, N(c));

        private static string Stat(BenchmarkCase c, Func<SlotUsage, TimeSpan> part) =>
            Runs(c) is { Count: > 0 } runs
                ? Measured.Ms(QuotaResults.Median(runs.Select(r => part(r.Usage).TotalMilliseconds / r.Usage.Slots)))
                : Measured.Missing;
    }
}
