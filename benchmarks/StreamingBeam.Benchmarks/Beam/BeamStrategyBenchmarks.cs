using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using StreamingBeam.Benchmarks.Reporting;
using StreamingBeam.Testing;

namespace StreamingBeam.Benchmarks.Beam;

/// <summary>Streaming (with certain-survivor promotion, and with the strict barrier) versus batched versus the seed
/// pattern: the same search on the same seeded log-normal draws, with real timers. Each is compared with the
/// critical-path bound of those draws, and the promoted engine also with its own bound.</summary>
[Config(typeof(Config))]
public class BeamStrategyBenchmarks
{
    private SimulatedProviders _providers = null!;
    private BeamSearchEngine _engine = null!;
    private BatchedBeamSearch _batched = null!;
    private SeedPatternBeamSearch _seedPattern = null!;
    private BeamSearchOptions _options = null!;
    private BeamSearchOptions _strictOptions = null!;
    private BeamDraws _draws = null!;

    /// <summary>Gets or sets the beam width N (M = N / 3).</summary>
    [Params(9, 27, 81)]
    public int N { get; set; } = 9;

    /// <summary>Gets or sets the spread of every stage's log-normal latency.</summary>
    [Params(0.25, 0.75)]
    public double Sigma { get; set; } = 0.75;

    /// <summary>Gets or sets a factor on every median latency (the smoke run shrinks them).</summary>
    internal double LatencyScale { get; set; } = 1.0;

    /// <summary>Gets or sets the number of iterations of the search.</summary>
    internal int Iterations { get; set; } = BeamScenario.Iterations;

    internal BeamDraws Draws => _draws;

    [GlobalSetup]
    public void Setup()
    {
        _providers = SimulatedProviders.Create(BeamScenario.Seed, BeamScenario.LatencyOptions(Sigma, LatencyScale));
        _engine = new BeamSearchEngine(_providers.Llm, _providers.ImageGenerator, _providers.VisionScorer);
        _batched = new BatchedBeamSearch(_providers.Llm, _providers.ImageGenerator, _providers.VisionScorer);
        _seedPattern = new SeedPatternBeamSearch(_providers.Llm, _providers.ImageGenerator, _providers.VisionScorer);
        _options = BeamScenario.SearchOptions(N, Iterations);
        _strictOptions = BeamScenario.SearchOptions(N, Iterations);
        _strictOptions.PromoteCertainSurvivors = false;
        _draws = BeamDraws.For(N, Sigma, LatencyScale, Iterations);
    }

    /// <summary>The engine as shipped: certain survivors start their critique and children before the ranking.</summary>
    [Benchmark(Baseline = true, Description = "Engine")]
    public async Task<BeamCandidate> Engine()
    {
        var result = await _engine.SearchAsync(BeamScenario.Prompt, _options);
        return Check(nameof(Engine), result.Best);
    }

    /// <summary>The engine with <see cref="BeamSearchOptions.PromoteCertainSurvivors"/> off: the strict ranking barrier.</summary>
    [Benchmark(Description = "EngineStrict")]
    public async Task<BeamCandidate> EngineStrict()
    {
        var result = await _engine.SearchAsync(BeamScenario.Prompt, _strictOptions);
        return Check(nameof(EngineStrict), result.Best);
    }

    [Benchmark(Description = "Batched")]
    public async Task<BeamCandidate> Batched() =>
        Check(nameof(Batched), await _batched.SearchAsync(BeamScenario.Prompt, _options));

    [Benchmark(Description = "SeedPattern")]
    public async Task<BeamCandidate> SeedPattern() =>
        Check(nameof(SeedPattern), await _seedPattern.SearchAsync(BeamScenario.Prompt, _options));

    /// <summary>Not a strategy: the critical path's own timers awaited one after another with nothing else running,
    /// the floor any orchestration on this machine's timers can reach.</summary>
    [Benchmark(Description = "TimerFloor")]
    public async Task<TimeSpan> TimerFloor()
    {
        foreach (var step in _draws.CriticalPathSteps)
        {
            await Task.Delay(step);
        }

        return _draws.Bound;
    }

    private BeamCandidate Check(string strategy, BeamCandidate best)
    {
        BestCandidateCheck.Record(strategy, N, Sigma, BestCandidateCheck.SamePrompts(best, _draws.Best));
        return best;
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            Add(BenchmarkConfigs.Create(BenchmarkConfigs.WallClock(iterations: 5)));
            AddColumn(
                new CustomColumn("Bound ms", "Strict critical-path bound of the draws: per iteration the longest lane chain, summed over iterations",
                    (_, c) => Measured.Ms(DrawsOf(c).Bound.TotalMilliseconds), 0),
                new CustomColumn("Ideal ms", "This strategy's wall time with zero overhead on the same draws (its own critical-path bound for the engine rows)",
                    (_, c) => Measured.Ms(Ideal(c).TotalMilliseconds), 1),
                new CustomColumn("Median/Ideal", "Median wall time over this strategy's own ideal",
                    (s, c) => Measured.MedianNs(s, c) is { } ns ? Measured.Ratio(ns / 1e6 / Ideal(c).TotalMilliseconds) : Measured.Missing, 2),
                new CustomColumn("Median/Bound", "Median wall time over the critical-path bound",
                    (s, c) => Measured.MedianNs(s, c) is { } ns ? Measured.Ratio(ns / 1e6 / DrawsOf(c).Bound.TotalMilliseconds) : Measured.Missing, 3),
                new CustomColumn("Median/Engine", "Median wall time over the engine's median wall time, same N and sigma",
                    (s, c) => Measured.MedianNs(s, c) is { } ns && Measured.Sibling(s, c, nameof(Engine)) is { } e && Measured.MedianNs(s, e) is { } engine
                        ? Measured.Ratio(ns / engine) : Measured.Missing, 4),
                new CustomColumn("Over floor ms", "Median wall time minus TimerFloor's median: the time not spent waiting on timers",
                    (s, c) => Measured.MedianNs(s, c) is { } ns && Measured.Sibling(s, c, nameof(TimerFloor)) is { } f && Measured.MedianNs(s, f) is { } floor
                        ? Measured.Ms((ns - floor) / 1e6) : Measured.Missing, 5),
                new CustomColumn("Same best", "Runs whose best candidate (id and prompts) equals the one the draws predict (TimerFloor: n/a)",
                    (_, c) => BestOf(c), 6));
        }

        private static BeamDraws DrawsOf(BenchmarkDotNet.Running.BenchmarkCase c) =>
            BeamDraws.For(Measured.Param<int>(c, nameof(N)), Measured.Param<double>(c, nameof(Sigma)));

        private static TimeSpan Ideal(BenchmarkDotNet.Running.BenchmarkCase c)
        {
            var draws = DrawsOf(c);
            return c.Descriptor.WorkloadMethod.Name switch
            {
                nameof(Batched) => draws.BatchedIdeal,
                nameof(SeedPattern) => draws.SeedPatternIdeal,
                nameof(Engine) => draws.PromotedBound,
                _ => draws.Bound,
            };
        }

        private static string BestOf(BenchmarkDotNet.Running.BenchmarkCase c)
        {
            if (c.Descriptor.WorkloadMethod.Name == nameof(TimerFloor))
            {
                return "n/a";
            }

            var (runs, matches) = BestCandidateCheck.Get(
                c.Descriptor.WorkloadMethod.Name, Measured.Param<int>(c, nameof(N)), Measured.Param<double>(c, nameof(Sigma)));
            return FormattableString.Invariant($"{matches}/{runs}");
        }
    }
}
