using StreamingBeam.Benchmarks.Beam;
using StreamingBeam.Benchmarks.Limits;
using StreamingBeam.Testing;

namespace StreamingBeam.Benchmarks.Tests;

public class QuotaBoundTests
{
    [Fact]
    public async Task Of_FixedLatencies_IsHeadAdmissionAndTail()
    {
        static LatencyDistribution Ms(int ms) => LatencyDistribution.Fixed(TimeSpan.FromMilliseconds(ms));
        var latency = new SimulatedProvidersOptions();
        latency.Llm.Latency = Ms(1);
        latency.Llm.LatencyOverrides[SimulatedOperation.Expand] = Ms(3);
        latency.Llm.LatencyOverrides[SimulatedOperation.Combine] = Ms(5);
        latency.ImageGenerator.Latency = Ms(13);
        latency.ImageGenerator.RenderImages = false;
        latency.VisionScorer.LatencyOverrides[SimulatedOperation.ScoreAlignment] = Ms(17);
        latency.VisionScorer.LatencyOverrides[SimulatedOperation.ScoreAesthetic] = Ms(19);
        var draws = await BeamDraws.ComputeAsync(
            BeamScenario.Prompt, BeamScenario.SearchOptions(6, 3), BeamScenario.Seed, BeamScenario.InstantOptions(), latency);

        var bound = QuotaBound.Of(draws, perSecond: 100, burst: 5);

        // 18 images; the first can go after expand 3 + combine 5; 13 more after the burst take 130 ms; the last one
        // renders 13 and is scored in max(17, 19).
        Assert.Equal(18, bound.Images);
        Assert.Equal(TimeSpan.FromMilliseconds(8), bound.Head);
        Assert.Equal(TimeSpan.FromMilliseconds(130), bound.Admission);
        Assert.Equal(TimeSpan.FromMilliseconds(32), bound.Tail);
        Assert.Equal(TimeSpan.FromMilliseconds(170), bound.Value);
        Assert.Equal(TimeSpan.FromMilliseconds(180), bound.QuotaTime);
    }

    [Fact]
    public void Of_StandardWorkload_IsBelowTheEnginesOwnScheduleUnderTheQuota()
    {
        var setup = QuotaSetup.Standard;

        var bound = setup.Bound;

        Assert.Equal(81, bound.Images);
        Assert.Equal(TimeSpan.FromSeconds(7.6), bound.Admission);
        Assert.True(bound.Value <= ImageLimitedSchedule.Run(setup.Draws, ImageLimit.Quota(setup.PerSecond, setup.Burst)).Wall);
        Assert.True(bound.Value > setup.Draws.PromotedBound, "the quota, not the critical path, is what binds");
    }

    [Fact]
    public void Lateness_AddsUpToWallMinusBound()
    {
        var bound = new QuotaBound(Images: 3, PerSecond: 10, Burst: 1, Head: TimeSpan.FromMilliseconds(10), Tail: TimeSpan.FromMilliseconds(20));
        var calls = ImageCalls.Match(
            [("a", Ms(12)), ("b", Ms(12)), ("c", Ms(12))],
            [Accepted("a", 12), Accepted("b", 115), Accepted("c", 214)],
            []);

        var late = QuotaLateness.Of(calls, Ms(250), bound);

        Assert.Equal(Ms(2), late.Start);
        Assert.Equal(Ms(2), late.Admission);
        Assert.Equal(Ms(16), late.Tail);
        Assert.Equal(Ms(250) - bound.Value, late.Start + late.Admission + late.Tail);
    }

    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    private static ImageAttempt Accepted(string prompt, double at) => new(prompt, Ms(at), Accepted: true, TimeSpan.Zero, Ended: null);
}
