using StreamingBeam.Benchmarks.Beam;
using StreamingBeam.Benchmarks.Extraction;
using StreamingBeam.Benchmarks.Limits;
using StreamingBeam.Benchmarks.Smoke;
using StreamingBeam.Benchmarks.Timing;

namespace StreamingBeam.Benchmarks.Tests;

/// <summary>Runs every benchmark body once with tiny sizes, so the benchmarks never rot. Asserts what they compute,
/// never how long it took.</summary>
public class SmokeTests
{
    [Fact]
    public async Task BeamStrategies_SmokeRun_EveryStrategyEndsWithTheBestCandidateOfTheDraws()
    {
        var result = await SmokeRunner.RunBeamStrategiesAsync();

        Assert.True(BestCandidateCheck.SamePrompts(result.Engine, result.Draws.Best), "engine");
        Assert.True(BestCandidateCheck.SamePrompts(result.EngineStrict, result.Draws.Best), "strict engine");
        Assert.True(result.Draws.PromotedBound <= result.Draws.Bound, "promotion can only start work earlier");
        Assert.True(BestCandidateCheck.SamePrompts(result.Batched, result.Draws.Best), "batched");
        Assert.True(BestCandidateCheck.SamePrompts(result.SeedPattern, result.Draws.Best), "seed pattern");
    }

    [Fact]
    public async Task BeamStrategies_SmokeRun_IdealTimesAreOrderedBoundSeedPatternBatched()
    {
        var draws = (await SmokeRunner.RunBeamStrategiesAsync()).Draws;

        Assert.Equal(2, draws.Iterations.Count);
        Assert.All(draws.Iterations, lanes => Assert.Equal(6, lanes.Length));
        Assert.True(draws.Bound > TimeSpan.Zero);
        Assert.True(draws.Bound <= draws.SeedPatternIdeal);
        Assert.True(draws.SeedPatternIdeal <= draws.BatchedIdeal);
        Assert.Equal(draws.Bound, draws.CriticalPathSteps.Aggregate(TimeSpan.Zero, (sum, step) => sum + step));
    }

    [Fact]
    public async Task TimerFloor_SmokeRun_AwaitsTheCriticalPathAndReturnsTheBound()
    {
        var result = await SmokeRunner.RunBeamStrategiesAsync();

        Assert.Equal(result.Draws.Bound, result.TimerFloor);
        Assert.Equal(4 + 5, result.Draws.CriticalPathSteps.Count);
    }

    [Theory]
    [InlineData(TimerKind.System)]
    [InlineData(TimerKind.Precise)]
    public async Task ExtractionModes_SmokeRun_DeliverEveryResultAndTieredKeepsTierOrder(TimerKind timers)
    {
        var result = await SmokeRunner.RunExtractionModesAsync(timers);
        var names = ExtractionScenario.Extractors.Select(e => e.Name).ToArray();

        Assert.Equal(names.Length, result.AtomicCount);
        Assert.Equal(names.Length, result.TieredCount);
        Assert.Equal(names.Order(), result.Atomic.Order.Order());
        var tierOf = ExtractionScenario.Extractors.ToDictionary(e => e.Name, e => e.Tier);
        var tiers = result.Tiered.Order.Select(n => tierOf[n]).ToArray();
        Assert.Equal(tiers.Order(), tiers);
        Assert.All(names, n => Assert.True(result.Tiered.Started[n] <= result.Tiered.Completed[n]));
        Assert.All(names, n => Assert.True(result.Tiered.Completed[n] <= result.Tiered.Received[n]));
    }

    [Fact]
    public async Task BeamOverhead_SmokeRun_ScoresEveryLaneWithBothProviderSets()
    {
        var (nulls, simulated) = await SmokeRunner.RunBeamOverheadAsync();

        Assert.Equal(27, nulls.CandidatesScored);
        Assert.Equal(0, nulls.CandidatesFailed);
        Assert.Equal(27, simulated.CandidatesScored);
        Assert.Equal(0, simulated.CandidatesFailed);
    }

    [Fact]
    public async Task ExtractionOverhead_SmokeRun_DeliversOneResultPerExtractorInBothModes()
    {
        var (atomic, tiered) = await SmokeRunner.RunExtractionOverheadAsync();

        Assert.Equal(10, atomic);
        Assert.Equal(10, tiered);
    }

    [Fact]
    public async Task Quota_SmokeRun_EveryStrategyButThreeRetriesCompletesAndEvery429IsCountedWhereItWasSeen()
    {
        var runs = await SmokeRunner.RunQuotaAsync();

        Assert.Equal(Enum.GetValues<QuotaStrategy>(), runs.Select(r => r.Strategy));
        foreach (var run in runs)
        {
            Assert.Equal(run.ProviderRefusals, run.Calls.Refusals.Count);
            var perLane = run.Strategy is QuotaStrategy.PerLaneRetry or QuotaStrategy.PerLaneRetryForever;

            // Per-lane retry keeps every 429 from the engine; otherwise every 429 reaches the engine's cooldown.
            Assert.Equal(perLane ? 0 : run.ProviderRefusals, run.EngineRefusals);
            Assert.InRange(run.Cooldowns.Cooldowns, 0, run.ProviderRefusals);
            Assert.True(run.Utilisation.Value >= 0, $"{run.Strategy}: utilisation {run.Utilisation.Value}");
            if (run.Strategy != QuotaStrategy.PerLaneRetry)
            {
                Assert.Equal(0, run.Failed);
                Assert.Equal(12, run.ImagesRendered);
                Assert.True(run.SameBest, $"{run.Strategy} found another best candidate");
            }
        }
    }

    [Fact]
    public async Task ImageSlots_SmokeRun_BothEnginesFindTheBestCandidateOfTheDrawsAndAccountForEverySlot()
    {
        var (engine, strict) = await SmokeRunner.RunImageSlotsAsync();

        foreach (var run in new[] { engine, strict })
        {
            Assert.True(run.SameBest);
            var u = run.Usage;
            Assert.Equal(3, u.Slots);
            var accounted = u.ImageTime + u.Head + u.Middle + u.Tail + u.IdleWhileWaiting;
            Assert.InRange((accounted - (run.Wall * 3)).Duration(), TimeSpan.Zero, TimeSpan.FromMilliseconds(1));
        }
    }

    [Fact]
    public async Task RunAll_EveryCheckPasses_ReturnsZeroAndSaysSo()
    {
        using var output = new StringWriter();

        var exitCode = await SmokeRunner.RunAllAsync(output);

        Assert.Equal(0, exitCode);
        Assert.Contains("smoke run passed", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckpointSave_SmokeRun_SavesEveryRecordBothWays()
    {
        var (perRecord, journal) = await SmokeRunner.RunCheckpointSaveAsync();

        Assert.Equal(9 * 6, perRecord!.RecordedCalls);
        Assert.Equal(9 * 6, journal!.RecordedCalls);
        Assert.Equal(9, journal.RecordedImages);
        Assert.Equal(-1, journal.Iteration);
    }
}
