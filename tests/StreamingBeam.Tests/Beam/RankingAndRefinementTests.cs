using StreamingBeam.Beam.Internal;
using StreamingBeam.Testing;
using static StreamingBeam.Tests.Beam.BeamTestKit;

namespace StreamingBeam.Tests.Beam;

public class RankingAndRefinementTests
{
    [Fact]
    public async Task Ranking_OrdersByTotal_TiesGoToTheLowerIndex()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        providers.Scorer.SetScores(Combined(3), 0.9, 0.9);
        var events = await Start(providers, new BeamSearchOptions { BeamWidth = 5, KeepTop = 3, MaxIterations = 1 }).ToEndAsync();

        Assert.Equal(["c0-3", "c0-0", "c0-1"], events.Completed(0).Survivors.Select(c => c.Id));
        Assert.Equal("c0-3", Assert.IsType<SearchCompletedEvent>(events[^1]).Result.Best.Id);
    }

    [Fact]
    public async Task Total_WeighsAlignmentByAlpha()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        providers.Scorer.SetScores(Combined(0), 1.0, 0.0);
        providers.Scorer.SetScores(Combined(1), 0.0, 1.0);
        var done = await RunToEndAsync(providers, new BeamSearchOptions { BeamWidth = 2, KeepTop = 1, MaxIterations = 1, Alpha = 0.25 });

        Assert.Equal("c0-1", done.Result.Best.Id);
        Assert.Equal(0.75, done.Result.Best.Total, 12);
    }

    [Theory]
    [InlineData(9, 3, new[] { 3, 3, 3 })]
    [InlineData(7, 3, new[] { 3, 2, 2 })]
    [InlineData(5, 2, new[] { 3, 2 })]
    [InlineData(4, 4, new[] { 1, 1, 1, 1 })]
    public void ChildrenOf_KeepsTheWidth_RemainderToTheBestRanked(int width, int parents, int[] expected)
    {
        var counts = Enumerable.Range(0, parents).Select(rank => BeamRanking.ChildrenOf(rank, parents, width)).ToArray();

        Assert.Equal(expected, counts);
        Assert.Equal(width, counts.Sum());
    }

    [Fact]
    public async Task Children_AreDistributedByParentRank_WhenWidthIsNotAMultiple()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        providers.Scorer.SetScores(Combined(4), 0.9, 0.9);
        providers.Scorer.SetScores(Combined(2), 0.8, 0.8);
        providers.Scorer.SetScores(Combined(0), 0.7, 0.7);
        var events = await Start(providers, new BeamSearchOptions { BeamWidth = 7, KeepTop = 3, MaxIterations = 2 }).ToEndAsync();

        var children = events.Scored(1);
        Assert.Equal(7, children.Count);
        // Ranks: c0-4, c0-2, c0-0; the remainder of 7 / 3 goes to the best-ranked parent. Scored() lists by lineage.
        Assert.Equal(["c0-0", "c0-0", "c0-2", "c0-2", "c0-4", "c0-4", "c0-4"], children.Select(c => c.ParentId));
        Assert.Equal(["c1-0.0", "c1-0.1", "c1-2.0", "c1-2.1", "c1-4.0", "c1-4.1", "c1-4.2"], children.Select(c => c.Id));
    }

    [Fact]
    public async Task Children_KeepTheWidth_WhenFewerThanKeepTopParentsSurvived()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        foreach (var i in new[] { 1, 3, 4 })
        {
            providers.Gate.Fail(BeamGateKeys.Image(Combined(i)), new InvalidOperationException("render failed"));
        }

        providers.Scorer.SetScores(Combined(2), 0.9, 0.9);
        var options = new BeamSearchOptions { BeamWidth = 5, KeepTop = 3, MaxIterations = 2, MaxFailureRatio = 1 };
        var events = await Start(providers, options).ToEndAsync();

        Assert.Equal(["c0-2", "c0-0"], events.Completed(0).Survivors.Select(c => c.Id));
        Assert.Equal(["c0-0", "c0-0", "c0-2", "c0-2", "c0-2"], events.Scored(1).Select(c => c.ParentId));
    }

    [Fact]
    public async Task Dimensions_Alternate_WhatFirst_AndTheOtherIsInheritedVerbatim()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        var events = await Start(providers, new BeamSearchOptions { BeamWidth = 2, KeepTop = 1, MaxIterations = 3 }).ToEndAsync();

        var first = events.Scored(1)[0];
        Assert.Equal(PromptDimension.What, first.RefinedDimension);
        Assert.Equal("c0-0", first.ParentId);
        Assert.Equal(BeamGateKeys.RefinedText(W(0), 1, 0), first.What);
        Assert.Equal(H(0), first.How);
        Assert.StartsWith("improve the What", first.Critique, StringComparison.Ordinal);

        var parent = events.Completed(1).Survivors[0];
        var second = events.Scored(2)[0];
        Assert.Equal(PromptDimension.How, second.RefinedDimension);
        Assert.Equal(parent.What, second.What);
        Assert.Equal(BeamGateKeys.RefinedText(parent.How, 2, 0), second.How);
    }

    [Fact]
    public async Task Dimensions_Alternate_HowFirst_WhenScheduled()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        var options = new BeamSearchOptions { BeamWidth = 2, KeepTop = 1, MaxIterations = 3, DimensionSchedule = DimensionSchedule.HowFirst };
        var events = await Start(providers, options).ToEndAsync();

        Assert.All(events.Scored(1), c => Assert.Equal(PromptDimension.How, c.RefinedDimension));
        Assert.All(events.Scored(2), c => Assert.Equal(PromptDimension.What, c.RefinedDimension));
    }

    [Fact]
    public async Task ChildrenAndParents_AParentSurvivesWhenNoChildBeatsIt()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        providers.Scorer.DefaultScore = 0.2;
        providers.Scorer.SetScores(Combined(0), 0.9, 0.9);
        var events = await Start(providers, new BeamSearchOptions { BeamWidth = 3, KeepTop = 2, MaxIterations = 2 }).ToEndAsync();

        // Parents c0-0 (0.9) and c0-1 (0.2) against children all at 0.2: c0-0 stays first, and the tie at 0.2 goes to the older parent.
        Assert.Equal(["c0-0", "c0-1"], events.Completed(1).Survivors.Select(c => c.Id));
    }

    [Fact]
    public async Task ChildrenOnly_ReplacesParents_AndTheResultIsStillTheBestEver()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        providers.Scorer.DefaultScore = 0.2;
        providers.Scorer.SetScores(Combined(0), 0.9, 0.9);
        var options = new BeamSearchOptions { BeamWidth = 3, KeepTop = 2, MaxIterations = 3, RankingPool = RankingPool.ChildrenOnly };
        var events = await Start(providers, options).ToEndAsync();

        Assert.All(events.Completed(1).Survivors, c => Assert.Equal(1, c.Iteration));
        Assert.All(events.Completed(2).Survivors, c => Assert.Equal(2, c.Iteration));
        var result = Assert.IsType<SearchCompletedEvent>(events[^1]).Result;
        Assert.Equal("c0-0", result.Best.Id);
        Assert.Equal("c0-0", events.Completed(2).BestSoFar!.Id);
    }

    [Fact]
    public async Task Alignment_IsJudgedAgainstTheUserPrompt_ByDefault()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        await RunToEndAsync(providers, new BeamSearchOptions { BeamWidth = 2, KeepTop = 1, MaxIterations = 1 });

        Assert.Equal([Prompt, Prompt], providers.Scorer.AlignmentTargets);
    }

    [Fact]
    public async Task Alignment_IsJudgedAgainstTheCombinedPrompt_WhenChosen()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        var options = new BeamSearchOptions { BeamWidth = 2, KeepTop = 1, MaxIterations = 1, AlignmentTarget = AlignmentTarget.CombinedPrompt };
        await RunToEndAsync(providers, options);

        Assert.Equal([Combined(0), Combined(1)], providers.Scorer.AlignmentTargets.Order());
    }

    [Fact]
    public async Task Search_9x3x5_RunsEndToEnd_AndReturnsTheBestEverScored()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);

        // Scores vary with the prompt's length and content so that refinement changes the ranking.
        var scorer = providers.Scorer;
        var engine = new BeamSearchEngine(providers.Llm, providers.Images, new PromptHashScorer(scorer));
        var options = new BeamSearchOptions { BeamWidth = 9, KeepTop = 3, MaxIterations = 5 };
        var events = new List<BeamEvent>();
        await foreach (var e in engine.SearchStreamingAsync(Prompt, options))
        {
            events.Add(e);
        }

        var result = Assert.IsType<SearchCompletedEvent>(events[^1]).Result;
        var scored = events.Scored();
        Assert.Equal(45, scored.Count);
        Assert.Equal(5, result.Iterations);
        Assert.Equal(BeamStopReason.MaxIterationsReached, result.StopReason);
        Assert.Equal(45, result.CandidatesScored);
        Assert.Equal(0, result.CandidatesFailed);
        var best = scored.OrderByDescending(c => c.Total).ThenBy(c => c.Iteration).ThenBy(c => c.Id, Comparer<string>.Create(BeamRanking.CompareLineage)).First();
        Assert.Same(best, result.Best);
        Assert.All(Enumerable.Range(0, 5), t => Assert.Equal(3, events.Completed(t).Survivors.Count));
        Assert.Equal(45, events.OfType<ImageGeneratedEvent>().Count());
    }

    [Fact]
    public async Task Usage_AddsUpEveryProviderCall()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        providers.Llm.UsagePerCall = new ProviderUsage(10, 5, 0, 0.001m);
        providers.Images.UsagePerCall = new ProviderUsage(0, 0, 1, 0.04m);
        providers.Scorer.UsagePerCall = new ProviderUsage(100, 10, 0, 0.002m);
        var done = await RunToEndAsync(providers, new BeamSearchOptions { BeamWidth = 4, KeepTop = 2, MaxIterations = 2 });

        // Iteration 0: 8 expansions + 4 combines; iteration 1: 2 critiques + 4 refinements + 4 combines.
        const int llmCalls = 8 + 4 + 2 + 4 + 4;
        const int images = 8;
        const int scorerCalls = 16;
        var expected = new ProviderUsage(
            (llmCalls * 10) + (scorerCalls * 100),
            (llmCalls * 5) + (scorerCalls * 10),
            images,
            (llmCalls * 0.001m) + (images * 0.04m) + (scorerCalls * 0.002m));
        Assert.Equal(expected, done.Result.Usage);
        Assert.Equal(new ProviderUsage(10 + 10 + 10 + 200, 5 + 5 + 5 + 20, 1, 0.001m * 3 + 0.04m + 0.004m), done.Result.Best.Usage);
    }

    /// <summary>Scores each image from a stable hash of its prompt, so rankings change from iteration to iteration.</summary>
    private sealed class PromptHashScorer(GatedVisionScorer inner) : IVisionScorer
    {
        public async Task<VisionScore> ScoreAlignmentAsync(GeneratedImage image, string prompt, CancellationToken cancellationToken = default)
        {
            await inner.ScoreAlignmentAsync(image, prompt, cancellationToken);
            return new VisionScore(Score(GatedImageGenerator.PromptOf(image), 17));
        }

        public async Task<VisionScore> ScoreAestheticAsync(GeneratedImage image, CancellationToken cancellationToken = default)
        {
            await inner.ScoreAestheticAsync(image, cancellationToken);
            return new VisionScore(Score(GatedImageGenerator.PromptOf(image), 31));
        }

        private static double Score(string text, int salt)
        {
            var hash = (uint)salt;
            foreach (var c in text)
            {
                hash = (hash ^ c) * 16777619u;
            }

            return (hash % 1000) / 1000.0;
        }
    }
}
