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
        Assert.Contains("BeamSearchOptions.KeepTop must be between 1 and BeamWidth (3); it was 4.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("BeamSearchOptions.Alpha must be between 0 and 1; it was 1.5.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("BeamSearchOptions.MaxIterations must be between 1 and 1000 (it counts the first iteration); it was 0.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("BeamSearchOptions.StageTimeout must be positive and at most 49.17:02:47.2940000, or null; it was 00:00:00.", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(BeamSearchOptions.BeamWidth), "BeamSearchOptions.BeamWidth must be between 1 and 100000; it was 0.")]
    [InlineData(nameof(BeamSearchOptions.Temperature), "BeamSearchOptions.Temperature must be between 0 and 2; it was NaN.")]
    [InlineData(nameof(BeamSearchOptions.TargetScore), "BeamSearchOptions.TargetScore must be greater than 0 and at most 1, or null; it was 0.")]
    [InlineData(nameof(BeamSearchOptions.MaxImages), "BeamSearchOptions.MaxImages must be at least BeamWidth (9), or no iteration could run; it was 5.")]
    [InlineData(nameof(BeamSearchOptions.MaxCost), "BeamSearchOptions.MaxCost must be greater than 0, or null; it was 0.")]
    [InlineData(nameof(BeamSearchOptions.MaxFailureRatio), "BeamSearchOptions.MaxFailureRatio must be between 0 and 1; it was 2.")]
    [InlineData(nameof(BeamSearchOptions.ConvergencePatience), "BeamSearchOptions.ConvergencePatience must be at least 1; it was 0.")]
    [InlineData(nameof(BeamSearchOptions.Retry), "BeamSearchOptions.Retry.MaxRetries must be between 0 and 10; it was 11.")]
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

    [Fact]
    public void RetryDelays_AreCappedAtWhatATimerAccepts()
    {
        var options = new BeamSearchOptions { Retry = { MaxDelay = TimeSpan.FromDays(60) } };

        Assert.Equal(
            ["BeamSearchOptions.Retry.MaxDelay must be zero or positive and at most 49.17:02:47.2940000; it was 60.00:00:00."],
            options.GetValidationErrors());
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

        Assert.Contains("BeamEngineOptions.MaxConcurrentImageGenerations must be at least 1, or null for no limit; it was 0.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("BeamEngineOptions.DefaultSearch.KeepTop must be between 1 and BeamWidth (9); it was 10.", ex.Message, StringComparison.Ordinal);
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
