using StreamingBeam.Testing;

namespace StreamingBeam.Tests.Beam;

public class OptionsValidationTests
{
    [Fact]
    public void Defaults_AreTheSpecs()
    {
        var options = new BeamSearchOptions();

        Assert.Equal(9, options.BeamWidth);
        Assert.Equal(3, options.KeepTop);
        Assert.Equal(3, options.MaxIterations);
        Assert.Equal(0.7, options.Alpha);
        Assert.Equal(0.7, options.Temperature);
        Assert.Equal(0.5, options.MaxFailureRatio);
        Assert.Equal(DimensionSchedule.WhatFirst, options.DimensionSchedule);
        Assert.Equal(RankingPool.ChildrenAndParents, options.RankingPool);
        Assert.Equal(AlignmentTarget.UserPrompt, options.AlignmentTarget);
        Assert.Empty(options.GetValidationErrors());
    }

    [Fact]
    public void InvalidOptions_ThrowAtTheCall_ListingEveryBrokenRule()
    {
        var engine = new BeamSearchEngine(Substitute.For<ILlmClient>(), Substitute.For<IImageGenerator>(), Substitute.For<IVisionScorer>());
        var options = new BeamSearchOptions { BeamWidth = 3, KeepTop = 4, Alpha = 1.5, MaxIterations = 0, StageTimeout = TimeSpan.Zero };

        var ex = Assert.Throws<ArgumentException>(() => engine.SearchStreamingAsync("a cat", options));

        Assert.Equal("options", ex.ParamName);
        Assert.Contains("KeepTop is 4; it must be between 1 and BeamWidth (3).", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Alpha is 1.5; it must be between 0 and 1.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaxIterations is 0; it must be between 1 and 1000", ex.Message, StringComparison.Ordinal);
        Assert.Contains("StageTimeout is 00:00:00; it must be greater than zero", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(BeamSearchOptions.BeamWidth), "BeamWidth is 0; it must be between 1 and 100000.")]
    [InlineData(nameof(BeamSearchOptions.Temperature), "Temperature is NaN; it must be between 0 and 2.")]
    [InlineData(nameof(BeamSearchOptions.TargetScore), "TargetScore is 0; it must be greater than 0 and at most 1, or null.")]
    [InlineData(nameof(BeamSearchOptions.MaxImages), "MaxImages is 5; it must be at least BeamWidth (9), or no iteration could run.")]
    [InlineData(nameof(BeamSearchOptions.MaxCost), "MaxCost is 0; it must be greater than 0, or null.")]
    [InlineData(nameof(BeamSearchOptions.MaxFailureRatio), "MaxFailureRatio is 2; it must be between 0 and 1.")]
    [InlineData(nameof(BeamSearchOptions.ConvergencePatience), "ConvergencePatience is 0; it must be at least 1.")]
    [InlineData(nameof(BeamSearchOptions.Retry), "Retry.MaxRetries is 11; it must be between 0 and 10.")]
    public void EachRule_NamesTheOption(string option, string message)
    {
        var options = new BeamSearchOptions();
        switch (option)
        {
            case nameof(BeamSearchOptions.BeamWidth): options.BeamWidth = 0; options.KeepTop = 1; break;
            case nameof(BeamSearchOptions.Temperature): options.Temperature = double.NaN; break;
            case nameof(BeamSearchOptions.TargetScore): options.TargetScore = 0; break;
            case nameof(BeamSearchOptions.MaxImages): options.MaxImages = 5; break;
            case nameof(BeamSearchOptions.MaxCost): options.MaxCost = 0; break;
            case nameof(BeamSearchOptions.MaxFailureRatio): options.MaxFailureRatio = 2; break;
            case nameof(BeamSearchOptions.ConvergencePatience): options.ConvergencePatience = 0; break;
            case nameof(BeamSearchOptions.Retry): options.Retry.MaxRetries = 11; break;
        }

        Assert.Equal([message], options.GetValidationErrors());
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void BlankPrompt_Throws(string prompt)
    {
        var engine = new BeamSearchEngine(Substitute.For<ILlmClient>(), Substitute.For<IImageGenerator>(), Substitute.For<IVisionScorer>());

        var ex = Assert.Throws<ArgumentException>(() => engine.SearchStreamingAsync(prompt));
        Assert.Equal("prompt", ex.ParamName);
    }

    [Fact]
    public void EngineOptions_NameTheLimit()
    {
        var ex = Assert.Throws<ArgumentException>(() => new BeamSearchEngine(
            Substitute.For<ILlmClient>(), Substitute.For<IImageGenerator>(), Substitute.For<IVisionScorer>(),
            new BeamEngineOptions { MaxConcurrentImageGenerations = 0, DefaultSearch = { KeepTop = 10 } }));

        Assert.Contains("MaxConcurrentImageGenerations is 0; it must be at least 1, or null for no limit.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DefaultSearch.KeepTop is 10; it must be between 1 and BeamWidth (9).", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OptionsChangedAfterTheCall_DoNotAffectTheRunningSearch()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        var options = new BeamSearchOptions { BeamWidth = 2, KeepTop = 1, MaxIterations = 1 };
        var stream = BeamTestKit.Engine(providers).SearchStreamingAsync(BeamTestKit.Prompt, options);
        options.BeamWidth = 50;

        var events = new List<BeamEvent>();
        await foreach (var e in stream)
        {
            events.Add(e);
        }

        Assert.Equal(2, events.OfType<CandidateScoredEvent>().Count());
    }
}
