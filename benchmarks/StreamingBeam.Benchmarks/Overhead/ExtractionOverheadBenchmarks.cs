using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using StreamingBeam.Benchmarks.Reporting;

namespace StreamingBeam.Benchmarks.Overhead;

/// <summary>The extraction engine's own cost per extractor, with extractors that complete synchronously, from 10 to
/// 10 000 extractors per run; tiered mode spreads them over three tiers.</summary>
[Config(typeof(Config))]
public class ExtractionOverheadBenchmarks
{
    private static readonly ExtractionInput Input = new() { Name = "input.bin", MediaType = "application/octet-stream", Data = new byte[] { 1, 2, 3 } };

    private ExtractionEngine _atomic = null!;
    private ExtractionEngine _tiered = null!;

    /// <summary>Gets or sets the number of extractors.</summary>
    [Params(10, 100, 1000, 10000)]
    public int Extractors { get; set; } = 10;

    [GlobalSetup]
    public void Setup()
    {
        var registrations = Enumerable.Range(0, Extractors)
            .Select(i => new ExtractorRegistration(
                new NullExtractor(string.Create(CultureInfo.InvariantCulture, $"extractor-{i}")),
                new ExtractorOptions { Tier = (i % 3) + 1 }))
            .ToList();
        _atomic = new ExtractionEngine(registrations, defaultRunOptions: new ExtractionRunOptions { Mode = ExtractionMode.Atomic });
        _tiered = new ExtractionEngine(registrations, defaultRunOptions: new ExtractionRunOptions { Mode = ExtractionMode.Tiered });
    }

    [Benchmark(Baseline = true)]
    public Task<int> Atomic() => CountAsync(_atomic);

    [Benchmark]
    public Task<int> Tiered() => CountAsync(_tiered);

    private static async Task<int> CountAsync(ExtractionEngine engine)
    {
        var count = 0;
        await foreach (var update in engine.ExtractStreamingAsync(Input))
        {
            if (!update.IsProvisional)
            {
                count++;
            }
        }

        return count;
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            Add(BenchmarkConfigs.Create(BenchmarkConfigs.Throughput()));
            AddColumn(
                new CustomColumn("us/extractor", "Mean time per extractor",
                    (s, c) => Measured.MeanNs(s, c) is { } ns ? Measured.Us(ns / 1e3 / Count(c)) : Measured.Missing, 1),
                new CustomColumn("B/extractor", "Bytes allocated per extractor",
                    (s, c) => Measured.AllocatedBytes(s, c) is { } b ? Measured.Bytes((double)b / Count(c)) : Measured.Missing, 2));
        }

        private static int Count(BenchmarkCase c) => Measured.Param<int>(c, nameof(Extractors));
    }
}
