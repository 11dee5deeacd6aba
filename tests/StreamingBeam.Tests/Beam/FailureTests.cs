using StreamingBeam.Testing;
using static StreamingBeam.Tests.Beam.BeamTestKit;

namespace StreamingBeam.Tests.Beam;

public class FailureTests
{
    [Fact]
    public async Task ThrowingProvider_FailsThatCandidateOnly_AndTheSearchGoesOn()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        var error = new HttpRequestException("service unavailable");
        providers.Gate.Fail(BeamGateKeys.Image(Combined(1)), error);
        var events = await Start(providers, new BeamSearchOptions { BeamWidth = 4, KeepTop = 2, MaxIterations = 2 }).ToEndAsync();

        var failed = Assert.Single(events.OfType<CandidateFailedEvent>());
        Assert.Equal("c0-1", failed.CandidateId);
        Assert.Equal(BeamStage.Image, failed.Stage);
        Assert.Same(error, failed.Exception);
        var result = Assert.IsType<SearchCompletedEvent>(events[^1]).Result;
        Assert.Equal(BeamStopReason.MaxIterationsReached, result.StopReason);
        Assert.Equal(7, result.CandidatesScored);
        Assert.Equal(1, result.CandidatesFailed);
        Assert.Equal(3, events.Completed(0).Scored);
        Assert.Equal(1, events.Completed(0).Failed);
    }

    [Theory]
    [InlineData(double.NaN, 0.5, "alignment score of NaN")]
    [InlineData(0.5, 1.5, "aesthetic score of 1.5")]
    [InlineData(-0.1, 0.5, "alignment score of -0.1")]
    public async Task InvalidScore_IsAProviderFailure_NamingWhatWasReturned(double alignment, double aesthetic, string expected)
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        providers.Scorer.SetScores(Combined(1), alignment, aesthetic);
        var events = await Start(providers, new BeamSearchOptions { BeamWidth = 3, KeepTop = 1, MaxIterations = 1 }).ToEndAsync();

        var failed = Assert.Single(events.OfType<CandidateFailedEvent>());
        var ex = Assert.IsType<ProviderOutputException>(failed.Exception);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains("candidate c0-1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[0, 1]", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(events.Scored(), c => c.Id == "c0-1");
    }

    [Fact]
    public async Task NullImage_IsAProviderFailure()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        providers.Images.Override(Combined(0), null);
        providers.Images.Override(Combined(1), new GeneratedImage());
        var events = await Start(providers, new BeamSearchOptions { BeamWidth = 3, KeepTop = 1, MaxIterations = 1, MaxFailureRatio = 1 }).ToEndAsync();

        var failures = events.OfType<CandidateFailedEvent>().OrderBy(e => e.CandidateId).ToArray();
        Assert.Equal(2, failures.Length);
        Assert.All(failures, f => Assert.Equal(BeamStage.Image, f.Stage));
        Assert.Equal("The image generator returned a null image for candidate c0-0.", failures[0].Exception.Message);
        Assert.Equal("The image generator returned an image with neither data nor a URI for candidate c0-1.", failures[1].Exception.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task EmptyPrompt_IsAProviderFailure(string? text)
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        providers.Llm.Override(BeamGateKeys.Expand(PromptDimension.How, 2), text);
        providers.Llm.Override(BeamGateKeys.Combine(W(1), H(1)), text);
        var events = await Start(providers, new BeamSearchOptions { BeamWidth = 3, KeepTop = 1, MaxIterations = 1, MaxFailureRatio = 1 }).ToEndAsync();

        var failures = events.OfType<CandidateFailedEvent>().OrderBy(e => e.CandidateId).ToArray();
        Assert.Equal(BeamStage.Combine, failures[0].Stage);
        Assert.Contains("for the combined prompt of candidate c0-1", failures[0].Exception.Message, StringComparison.Ordinal);
        Assert.Equal(BeamStage.Expand, failures[1].Stage);
        Assert.Contains("for the HOW expansion of candidate c0-2", failures[1].Exception.Message, StringComparison.Ordinal);
        Assert.IsType<ProviderOutputException>(failures[1].Exception);
    }

    [Fact]
    public async Task CritiqueFailure_CostsOnlyThatParentsChildren()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        providers.Scorer.SetScores(Combined(0), 0.9, 0.9);
        providers.Scorer.SetScores(Combined(1), 0.8, 0.8);
        var error = new InvalidOperationException("critic down");
        providers.Gate.Fail(BeamGateKeys.Critique(1, W(0), H(0)), error);
        var events = await Start(providers, new BeamSearchOptions { BeamWidth = 4, KeepTop = 2, MaxIterations = 2 }).ToEndAsync();

        var failures = events.OfType<CandidateFailedEvent>().OrderBy(e => e.CandidateId).ToArray();
        Assert.Equal(["c1-0.0", "c1-0.1"], failures.Select(f => f.CandidateId));
        Assert.All(failures, f =>
        {
            Assert.Equal(BeamStage.Critique, f.Stage);
            Assert.Equal("c0-0", f.ParentId);
            Assert.Same(error, f.Exception);
        });
        Assert.Equal(["c1-1.0", "c1-1.1"], events.Scored(1).Select(c => c.Id));
        Assert.IsType<SearchCompletedEvent>(events[^1]);
    }

    [Fact]
    public async Task MoreThanTheAllowedShareFailing_StopsWithTheBestSoFar()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        foreach (var i in new[] { 0, 1, 2 })
        {
            providers.Gate.Fail(BeamGateKeys.Image(Combined(i)), new InvalidOperationException("render failed"));
        }

        var events = await Start(providers, new BeamSearchOptions { BeamWidth = 4, KeepTop = 2, MaxIterations = 3 }).ToEndAsync();

        var result = Assert.IsType<SearchCompletedEvent>(events[^1]).Result;
        Assert.Equal(BeamStopReason.TooManyFailures, result.StopReason);
        Assert.Equal(1, result.Iterations);
        Assert.Equal("c0-3", result.Best.Id);
        Assert.DoesNotContain(providers.Gate.Started, k => k.StartsWith("critique:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExactlyTheAllowedShareFailing_GoesOn()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        providers.Gate.Fail(BeamGateKeys.Image(Combined(0)), new InvalidOperationException("render failed"));
        providers.Gate.Fail(BeamGateKeys.Image(Combined(1)), new InvalidOperationException("render failed"));

        var done = await RunToEndAsync(providers, new BeamSearchOptions { BeamWidth = 4, KeepTop = 2, MaxIterations = 2 });

        Assert.Equal(BeamStopReason.MaxIterationsReached, done.Result.StopReason);
    }

    [Fact]
    public async Task NothingEverScored_EndsWithAnExceptionThatSaysWhy_AfterEveryFailureEvent()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        providers.Gate.Fail(BeamGateKeys.Image(Combined(0)), new InvalidOperationException("quota exceeded"));
        providers.Gate.Fail(BeamGateKeys.Image(Combined(1)), new InvalidOperationException("quota exceeded"));
        var recorder = Start(providers, new BeamSearchOptions { BeamWidth = 2, KeepTop = 1, MaxIterations = 3 });

        var ex = await Assert.ThrowsAsync<BeamSearchException>(() => recorder.Completion);
        Assert.StartsWith("No candidate was ever scored: all 2 candidates of iteration 0 failed.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("at stage Image: quota exceeded", ex.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(ex.InnerException);
        Assert.Equal(2, recorder.Items.OfType<CandidateFailedEvent>().Count());
        Assert.DoesNotContain(recorder.Items, e => e is SearchCompletedEvent);
    }

    [Fact]
    public async Task SearchAsync_ThrowsWhenNothingWasScored()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        providers.Gate.Fail(BeamGateKeys.Expand(PromptDimension.What, 0), new InvalidOperationException("no model"));

        await Assert.ThrowsAsync<BeamSearchException>(() =>
            Engine(providers).SearchAsync(Prompt, new BeamSearchOptions { BeamWidth = 1, KeepTop = 1 }));
    }
}
