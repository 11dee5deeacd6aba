using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using StreamingBeam.Benchmarks.Reporting;
using StreamingBeam.Benchmarks.Timing;

namespace StreamingBeam.Benchmarks.Extraction;

/// <summary>Atomic versus tiered extraction of the six source-design extractors with real timers: the wall time of a
/// whole run, plus (in the extra columns) when the first result and every other result reached the consumer. The
/// extractors' latencies wait on .NET's own timers (what an application sees) or on precise timers (what the engine
/// adds, without the coarse clock's jitter).</summary>
[Config(typeof(Config))]
public class ExtractionModeBenchmarks : IDisposable
{
    private readonly ExtractionTimeline.Recorder _recorder = new();
    private ExtractionEngine _atomic = null!;
    private ExtractionEngine _tiered = null!;
    private PreciseTimeProvider? _precise;

    /// <summary>Gets or sets which timers the extractors' latencies wait on.</summary>
    [Params(TimerKind.System, TimerKind.Precise)]
    public TimerKind Timers { get; set; } = TimerKind.System;

    /// <summary>Gets or sets a factor on every extractor's latency (the smoke run shrinks them).</summary>
    internal double LatencyScale { get; set; } = 1.0;

    /// <summary>Gets or sets whether runs are kept for the report; the smoke run checks them without keeping them.</summary>
    internal bool KeepTimelines { get; set; } = true;

    internal ExtractionTimeline? LastTimeline { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        TimeProvider clock = TimeProvider.System;
        if (Timers == TimerKind.Precise)
        {
            clock = _precise = new PreciseTimeProvider();
        }

        var registrations = ExtractionScenario.Registrations(_recorder, LatencyScale, clock);
        _atomic = new ExtractionEngine(registrations, defaultRunOptions: new ExtractionRunOptions { Mode = ExtractionMode.Atomic });
        _tiered = new ExtractionEngine(registrations, defaultRunOptions: new ExtractionRunOptions { Mode = ExtractionMode.Tiered });
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _precise?.Dispose();
        _precise = null;
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public Task<int> Atomic() => RunAsync(nameof(Atomic), _atomic);

    [Benchmark]
    public Task<int> Tiered() => RunAsync(nameof(Tiered), _tiered);

    internal static string Key(string mode, TimerKind timers) => mode + "/" + timers;

    private async Task<int> RunAsync(string mode, ExtractionEngine engine)
    {
        _recorder.Start();
        var results = 0;
        await foreach (var update in engine.ExtractStreamingAsync(ExtractionScenario.Input))
        {
            if (!update.IsProvisional)
            {
                _recorder.Received(update.ExtractorName);
                results++;
            }
        }

        LastTimeline = _recorder.Finish();
        if (KeepTimelines)
        {
            ExtractionTimeline.Add(Key(mode, Timers), LastTimeline);
        }

        return results;
    }

    internal static double FastestLatencyMs => ExtractionScenario.Extractors.Min(e => e.LatencyMs);

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            Add(BenchmarkConfigs.Create(BenchmarkConfigs.WallClock(iterations: 20)));
            AddColumn(
                new CustomColumn("First ms", "Median time from the start of the run to the first result at the consumer",
                    (_, c) => Stat(c, t => t.First.TotalMilliseconds), 0),
                new CustomColumn("First - fastest ms", "Median time to first result minus the fastest extractor's latency (10 ms)",
                    (_, c) => Stat(c, t => t.First.TotalMilliseconds - FastestLatencyMs), 1),
                new CustomColumn("Dispatch us", "Median time from the start of the run to the engine calling the extractor whose result came first",
                    (_, c) => Stat(c, t => t.FirstDispatch.TotalMicroseconds, Measured.Us), 2),
                new CustomColumn("Call ms", "Median duration of that extractor's own call: a 10 ms timer, the rest is timer lateness",
                    (_, c) => Stat(c, t => t.FirstCall.TotalMilliseconds, Measured.Ms2), 3),
                new CustomColumn("Delivery us", "Median time from that extractor's completion to the consumer receiving its result",
                    (_, c) => Stat(c, t => t.FirstDeliveryLag.TotalMicroseconds, Measured.Us), 4),
                new CustomColumn("Last ms", "Median time from the start of the run to the last result at the consumer",
                    (_, c) => Stat(c, t => t.Last.TotalMilliseconds), 5));
        }

        private static string Stat(BenchmarkCase c, Func<ExtractionTimeline, double> value, Func<double, string>? format = null)
        {
            var runs = ExtractionTimeline.Of(Key(c.Descriptor.WorkloadMethod.Name, Measured.Param<TimerKind>(c, nameof(Timers))));
            return runs.Count == 0 ? Measured.Missing : (format ?? Measured.Ms)(Median(runs.Select(value)));
        }
    }

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
