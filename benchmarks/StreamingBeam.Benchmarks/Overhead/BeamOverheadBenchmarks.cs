using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using StreamingBeam.Benchmarks.Beam;
using StreamingBeam.Benchmarks.Reporting;
using StreamingBeam.Testing;

namespace StreamingBeam.Benchmarks.Overhead;

/// <summary>The engine's own cost per candidate lane, with providers that complete synchronously: N lanes per iteration,
/// M = N / 3, 3 iterations. <c>NullProviders</c> is the engine alone; <c>SimulatedProviders</c> adds the simulated
/// providers' own work (writing prompts, scoring) for scale.</summary>
[Config(typeof(Config))]
public class BeamOverheadBenchmarks
{
    private BeamSearchEngine _null = null!;
    private BeamSearchEngine _simulated = null!;
    private BeamSearchOptions _options = null!;

    /// <summary>Gets or sets the beam width N.</summary>
    [Params(9, 90, 900, 9000)]
    public int N { get; set; } = 9;

    internal int Iterations { get; set; } = BeamScenario.Iterations;

    [GlobalSetup]
    public void Setup()
    {
        var nulls = new NullBeamProviders();
        _null = new BeamSearchEngine(nulls, nulls, nulls);
        var simulated = StreamingBeam.Testing.SimulatedProviders.Create(BeamScenario.Seed, BeamScenario.InstantOptions());
        _simulated = new BeamSearchEngine(simulated.Llm, simulated.ImageGenerator, simulated.VisionScorer);
        _options = BeamScenario.SearchOptions(N, Iterations);
    }

    [Benchmark(Baseline = true)]
    public Task<BeamSearchResult> NullProviders() => _null.SearchAsync(BeamScenario.Prompt, _options);

    [Benchmark]
    public Task<BeamSearchResult> SimulatedProviders() => _simulated.SearchAsync(BeamScenario.Prompt, _options);

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            Add(BenchmarkConfigs.Create(BenchmarkConfigs.Throughput()));
            AddColumn(
                new CustomColumn("Lanes", "Candidate lanes per search: N x 3 iterations", (_, c) => Lanes(c).ToString(System.Globalization.CultureInfo.InvariantCulture), 0),
                new CustomColumn("us/lane", "Mean time per candidate lane",
                    (s, c) => Measured.MeanNs(s, c) is { } ns ? Measured.Us(ns / 1e3 / Lanes(c)) : Measured.Missing, 1),
                new CustomColumn("B/lane", "Bytes allocated per candidate lane",
                    (s, c) => Measured.AllocatedBytes(s, c) is { } b ? Measured.Bytes((double)b / Lanes(c)) : Measured.Missing, 2));
        }

        private static int Lanes(BenchmarkCase c) => Measured.Param<int>(c, nameof(N)) * BeamScenario.Iterations;
    }
}
