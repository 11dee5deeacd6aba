namespace StreamingBeam.Testing.Tests.Simulation;

public class SimulatedVisionScorerTests
{
    private static GeneratedImage ImageOf(string prompt) => new()
    {
        Uri = new Uri("simulated:image/test.png"),
        Metadata = new Dictionary<string, object?> { ["prompt"] = prompt },
    };

    private static SimulatedVisionScorer Scorer(long seed = 5, double noise = 0.08) =>
        new(seed, new SimulatedVisionScorerOptions { Latency = LatencyDistribution.Zero, Noise = noise });

    [Fact]
    public async Task ScoreAlignmentAsync_MoreRequestedWordsRendered_ScoresHigher()
    {
        var scorer = Scorer(noise: 0);

        var none = await scorer.ScoreAlignmentAsync(ImageOf("a cat on a sofa"), Requests.UserPrompt);
        var half = await scorer.ScoreAlignmentAsync(ImageOf("a fox on a sofa"), Requests.UserPrompt);
        var all = await scorer.ScoreAlignmentAsync(ImageOf("a red fox in a snowy forest"), Requests.UserPrompt);

        Assert.True(none.Score < half.Score && half.Score < all.Score, $"{none.Score} < {half.Score} < {all.Score}");
        Assert.Contains("lacks red, snowy and forest", half.Analysis, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScoreAestheticAsync_MoreStyleAspects_ScoresHigher()
    {
        var scorer = Scorer(noise: 0);

        var plain = await scorer.ScoreAestheticAsync(ImageOf("a red fox"));
        var styled = await scorer.ScoreAestheticAsync(ImageOf("a red fox. Oil painting, golden hour lighting, serene mood."));

        Assert.True(styled.Score > plain.Score, $"{styled.Score} > {plain.Score}");
        Assert.Contains("medium, lighting and mood", styled.Analysis, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scores_ManyImagesWithNoise_StayInUnitInterval()
    {
        var scorer = Scorer(noise: 0.5);
        for (var i = 0; i < 300; i++)
        {
            var image = ImageOf($"prompt {i} red fox snowy forest oil painting golden hour lighting");
            var alignment = await scorer.ScoreAlignmentAsync(image, Requests.UserPrompt);
            var aesthetic = await scorer.ScoreAestheticAsync(image);
            Assert.InRange(alignment.Score, 0, 1);
            Assert.InRange(aesthetic.Score, 0, 1);
            Assert.False(string.IsNullOrWhiteSpace(alignment.Analysis));
        }
    }

    [Fact]
    public async Task Scores_SameSeedAndImage_AreIdentical_DifferentSeeds_Differ()
    {
        var image = ImageOf("a red fox in a forest. Watercolor illustration.");

        var a = await Scorer(1).ScoreAlignmentAsync(image, Requests.UserPrompt);
        var b = await Scorer(1).ScoreAlignmentAsync(image, Requests.UserPrompt);
        var c = await Scorer(2).ScoreAlignmentAsync(image, Requests.UserPrompt);

        Assert.Equal(a.Score, b.Score);
        Assert.Equal(a.Analysis, b.Analysis);
        Assert.NotEqual(a.Score, c.Score);
    }

    [Fact]
    public async Task Scores_ImageWithoutRecordedPrompt_AreAGuessAroundHalf()
    {
        var image = new GeneratedImage { Data = new byte[] { 1, 2, 3 } };

        var score = await Scorer(noise: 0.1).ScoreAestheticAsync(image);

        Assert.InRange(score.Score, 0.4, 0.6);
        Assert.Contains("No rendered prompt", score.Analysis, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_ReportsImageTokensAndCost()
    {
        var scorer = new SimulatedVisionScorer(1, new SimulatedVisionScorerOptions { Latency = LatencyDistribution.Zero, CostPerCall = 0.25m });

        var score = await scorer.ScoreAestheticAsync(ImageOf("a fox"));

        Assert.True(score.Usage.InputTokens >= 258);
        Assert.True(score.Usage.OutputTokens > 0);
        Assert.Equal(0.25m, score.Usage.Cost);
    }
}
