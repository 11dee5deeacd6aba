using StreamingBeam.Benchmarks.Beam;

namespace StreamingBeam.Benchmarks.Tests;

public class ImageLimitedScheduleTests
{
    [Theory]
    [InlineData(9)]
    [InlineData(27)]
    public void Run_NoLimit_IsTheCriticalPathBoundOfEachEngine(int width)
    {
        var draws = BeamDraws.For(width, 0.75);

        Assert.Equal(draws.PromotedBound, ImageLimitedSchedule.Run(draws, ImageLimit.None, promote: true).Wall);
        Assert.Equal(draws.Bound, ImageLimitedSchedule.Run(draws, ImageLimit.None, promote: false).Wall);
    }

    [Fact]
    public async Task Run_NoLimit_MatchesPromotedScheduleOverManySeeds()
    {
        for (var seed = 1; seed <= 15; seed++)
        {
            var draws = await BeamDraws.ComputeAsync(
                BeamScenario.Prompt, BeamScenario.SearchOptions(9), seed, BeamScenario.InstantOptions(), BeamScenario.LatencyOptions(0.75));

            Assert.Equal(draws.PromotedBound, ImageLimitedSchedule.Run(draws, ImageLimit.None).Wall);
            Assert.Equal(draws.Bound, ImageLimitedSchedule.Run(draws, ImageLimit.None, promote: false).Wall);
        }
    }

    [Theory]
    [InlineData(9, 3)]
    [InlineData(27, 4)]
    [InlineData(27, 1)]
    public void Run_Slots_NeverMoreAtOnceServesInReadyOrderAndIsNoFasterThanEitherBound(int width, int slots)
    {
        var draws = BeamDraws.For(width, 0.75);

        var result = ImageLimitedSchedule.Run(draws, ImageLimit.Slots(slots));

        Assert.Equal(width * BeamScenario.Iterations, result.Images.Count);
        Assert.All(result.Images, i => Assert.True(i.Ready <= i.Start && i.End - i.Start == i.Lane.Image));
        foreach (var image in result.Images)
        {
            Assert.True(result.Images.Count(i => i.Start <= image.Start && image.Start < i.End) <= slots);
        }

        // Latencies are whole milliseconds, so two lanes can be ready at the same moment; either may go first.
        var byReady = result.Images.OrderBy(i => i.Ready).ToArray();
        for (var i = 1; i < byReady.Length; i++)
        {
            Assert.True(byReady[i - 1].Ready == byReady[i].Ready || byReady[i - 1].Start <= byReady[i].Start, "first come, first served");
        }

        var imageTime = draws.Iterations.SelectMany(l => l).Aggregate(TimeSpan.Zero, (sum, l) => sum + l.Image);
        Assert.True(result.Wall >= imageTime / slots);
        Assert.True(result.Wall >= draws.PromotedBound);
    }

    [Fact]
    public void Run_IterationFirst_NeverStartsAnImageWhileOneOfAnEarlierIterationWaits()
    {
        var draws = BeamDraws.For(27, 0.75);

        var result = ImageLimitedSchedule.Run(draws, ImageLimit.Slots(4), ImageOrder.IterationFirst);

        foreach (var image in result.Images)
        {
            Assert.DoesNotContain(result.Images, other =>
                other.Lane.Iteration < image.Lane.Iteration && other.Ready <= image.Start && image.Start < other.Start);
        }
    }

    [Fact]
    public void Run_Quota_AdmitsNoFasterThanTheBucketAndNoSoonerThanTheQuotaBound()
    {
        var draws = BeamDraws.For(27, 0.75);

        var result = ImageLimitedSchedule.Run(draws, ImageLimit.Quota(10, 5));

        var starts = result.Images.Select(i => i.Start).Order().ToArray();
        for (var k = 5; k < starts.Length; k++)
        {
            // By the k-th start (0-based) the bucket gave k + 1 tokens: the burst and (k + 1 - 5) refills at 10 a second.
            Assert.True(starts[k] - starts[0] >= TimeSpan.FromSeconds((k + 1 - 5) / 10.0) - TimeSpan.FromTicks(k + 1));
        }

        Assert.True(result.Wall >= Limits.QuotaBound.Of(draws, 10, 5).Value);
    }
}
