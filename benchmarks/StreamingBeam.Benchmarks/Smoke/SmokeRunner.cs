using System.Globalization;
using StreamingBeam.Benchmarks.Beam;
using StreamingBeam.Benchmarks.Checkpoints;
using StreamingBeam.Benchmarks.Extraction;
using StreamingBeam.Benchmarks.Limits;
using StreamingBeam.Benchmarks.Overhead;
using StreamingBeam.Benchmarks.Timing;

namespace StreamingBeam.Benchmarks.Smoke;

/// <summary>Runs every benchmark body once with tiny sizes and shrunken latencies, without BenchmarkDotNet, and checks
/// functional facts only (never timings). <c>--smoke</c> runs it from the command line; the test suite calls each part.</summary>
internal static class SmokeRunner
{
    /// <summary>The beam strategies: N 6, M 2, 2 iterations, sigma 0.75, latencies at 1 % of the real ones.</summary>
    public static async Task<BeamSmokeResult> RunBeamStrategiesAsync()
    {
        var benchmarks = new BeamStrategyBenchmarks { N = 6, Sigma = 0.75, LatencyScale = 0.01, Iterations = 2 };
        benchmarks.Setup();
        var engine = await benchmarks.Engine();
        var strict = await benchmarks.EngineStrict();
        var batched = await benchmarks.Batched();
        var seedPattern = await benchmarks.SeedPattern();
        var floor = await benchmarks.TimerFloor();
        return new BeamSmokeResult(benchmarks.Draws, engine, strict, batched, seedPattern, floor);
    }

    /// <summary>Atomic and tiered extraction on the given timers, latencies at 1 % of the benchmark's.</summary>
    public static async Task<ExtractionSmokeResult> RunExtractionModesAsync(TimerKind timers)
    {
        using var benchmarks = new ExtractionModeBenchmarks { Timers = timers, LatencyScale = 0.01, KeepTimelines = false };
        benchmarks.Setup();
        var atomicCount = await benchmarks.Atomic();
        var atomic = benchmarks.LastTimeline!;
        var tieredCount = await benchmarks.Tiered();
        var tiered = benchmarks.LastTimeline!;
        return new ExtractionSmokeResult(atomicCount, atomic, tieredCount, tiered);
    }

    /// <summary>The engine with synchronous providers: N 9, 3 iterations.</summary>
    public static async Task<(BeamSearchResult Null, BeamSearchResult Simulated)> RunBeamOverheadAsync()
    {
        var benchmarks = new BeamOverheadBenchmarks { N = 9 };
        benchmarks.Setup();
        return (await benchmarks.NullProviders(), await benchmarks.SimulatedProviders());
    }

    /// <summary>The extraction engine with 10 synchronous extractors, both modes.</summary>
    public static async Task<(int Atomic, int Tiered)> RunExtractionOverheadAsync()
    {
        var benchmarks = new ExtractionOverheadBenchmarks { Extractors = 10 };
        benchmarks.Setup();
        return (await benchmarks.Atomic(), await benchmarks.Tiered());
    }

    /// <summary>Both ways of saving a journal with the file store, N 9; each read back as a resume would.</summary>
    public static async Task<(BeamCheckpoint? PerRecord, BeamCheckpoint? Journal)> RunCheckpointSaveAsync()
    {
        var benchmarks = new CheckpointSaveBenchmarks { N = 9 };
        benchmarks.Setup();
        try
        {
            await benchmarks.OneAppendPerRecord();
            var perRecord = await benchmarks.LoadAsync();
            await benchmarks.Journal();
            return (perRecord, await benchmarks.LoadAsync());
        }
        finally
        {
            benchmarks.Cleanup();
        }
    }

    /// <summary>The rate-limited search with each strategy: N 6, M 2, 2 iterations, latencies at 1 %, a quota of 100
    /// images a second with a burst of 5.</summary>
    public static async Task<IReadOnlyList<QuotaRunResult>> RunQuotaAsync()
    {
        var benchmarks = new QuotaBenchmarks { Setup = SmokeQuota };
        var runs = new List<QuotaRunResult>();
        foreach (var body in new Func<Task<int>>[] { benchmarks.Limiter, benchmarks.LimiterBelowBurst, benchmarks.Cooldown, benchmarks.PerLaneRetry, benchmarks.PerLaneRetryForever, benchmarks.FixedCaps })
        {
            await body();
            runs.Add(benchmarks.LastRun!);
        }

        return runs;
    }

    /// <summary>The smoke run's quota workload.</summary>
    public static QuotaSetup SmokeQuota { get; } = new(BeamWidth: 6, Iterations: 2, Sigma: 0.75, LatencyScale: 0.01, PerSecond: 100, Burst: 5);

    /// <summary>The engine under a concurrency limit on images (3 at N 6), promoted and strict, latencies at 1 %.</summary>
    public static async Task<(ImageSlotRun Engine, ImageSlotRun Strict)> RunImageSlotsAsync()
    {
        var benchmarks = new ImageSlotBenchmarks { N = 6, LatencyScale = 0.01, Iterations = 2 };
        await benchmarks.Engine();
        var engine = benchmarks.LastRun!;
        await benchmarks.EngineStrict();
        return (engine, benchmarks.LastRun!);
    }

    /// <summary>Runs everything, prints one line per benchmark, and returns 0 when every check passed.</summary>
    public static async Task<int> RunAllAsync(TextWriter output)
    {
        var failures = 0;
        void Report(string name, bool ok, string detail)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(ok ? "ok  " : "FAIL")} {name}: {detail}"));
            failures += ok ? 0 : 1;
        }

        var beam = await RunBeamStrategiesAsync();
        Report("beam strategies", beam.AllAgree && beam.TimerFloor == beam.Draws.Bound && beam.Draws.PromotedBound <= beam.Draws.Bound,
            $"best {beam.Engine.Id} in all four strategies: {beam.AllAgree}; bound {beam.Draws.Bound.TotalMilliseconds} ms, " +
            $"promoted bound {beam.Draws.PromotedBound.TotalMilliseconds} ms, " +
            $"seed-pattern ideal {beam.Draws.SeedPatternIdeal.TotalMilliseconds} ms, batched ideal {beam.Draws.BatchedIdeal.TotalMilliseconds} ms");

        foreach (var timers in Enum.GetValues<TimerKind>())
        {
            var extraction = await RunExtractionModesAsync(timers);
            var total = ExtractionScenario.Extractors.Count;
            Report($"extraction modes ({timers} timers)", extraction.AtomicCount == total && extraction.TieredCount == total,
                $"atomic {extraction.AtomicCount}/{total} results, tiered {extraction.TieredCount}/{total} results");
        }

        var (nullRun, simulatedRun) = await RunBeamOverheadAsync();
        Report("beam overhead", nullRun.CandidatesScored == 27 && simulatedRun.CandidatesScored == 27,
            $"null providers scored {nullRun.CandidatesScored}, simulated providers scored {simulatedRun.CandidatesScored} (27 expected)");

        var (atomicCount, tieredCount) = await RunExtractionOverheadAsync();
        Report("extraction overhead", atomicCount == 10 && tieredCount == 10, $"atomic {atomicCount}/10, tiered {tieredCount}/10");

        var (perRecord, journal) = await RunCheckpointSaveAsync();
        var expected = 9 * CheckpointSaveBenchmarks.RecordsPerCandidate;
        Report("checkpoint saves", perRecord?.RecordedCalls == expected && journal?.RecordedCalls == expected && journal.RecordedImages == 9,
            $"recorded calls read back: {perRecord?.RecordedCalls} and {journal?.RecordedCalls} ({expected} expected)");

        foreach (var run in await RunQuotaAsync())
        {
            var mustComplete = run.Strategy != QuotaStrategy.PerLaneRetry;
            Report($"quota, {run.Strategy}", !mustComplete || (run.Failed == 0 && run.SameBest && run.ImagesRendered == 12),
                $"{run.ImagesRendered} images, {run.ProviderRefusals} 429s, {run.Failed} failed, same best {run.SameBest}");
        }

        var (slotsEngine, slotsStrict) = await RunImageSlotsAsync();
        Report("image slots", slotsEngine.SameBest && slotsStrict.SameBest,
            $"promoted and strict engines under 3 image slots found the best candidate of the draws: {slotsEngine.SameBest}, {slotsStrict.SameBest}");

        output.WriteLine(failures == 0 ? "smoke run passed" : string.Create(CultureInfo.InvariantCulture, $"smoke run: {failures} check(s) failed"));
        return failures == 0 ? 0 : 1;
    }
}

/// <summary>What the smoke run of the beam strategies found.</summary>
internal sealed record BeamSmokeResult(
    BeamDraws Draws, BeamCandidate Engine, BeamCandidate EngineStrict, BeamCandidate Batched, BeamCandidate SeedPattern, TimeSpan TimerFloor)
{
    public bool AllAgree =>
        BestCandidateCheck.SamePrompts(Engine, Draws.Best)
        && BestCandidateCheck.SamePrompts(EngineStrict, Draws.Best)
        && BestCandidateCheck.SamePrompts(Batched, Draws.Best)
        && BestCandidateCheck.SamePrompts(SeedPattern, Draws.Best);
}

/// <summary>What the smoke run of the extraction modes found.</summary>
internal sealed record ExtractionSmokeResult(int AtomicCount, ExtractionTimeline Atomic, int TieredCount, ExtractionTimeline Tiered);
