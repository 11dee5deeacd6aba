using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using StreamingBeam.Testing;
using StreamingBeam.Tests.Beam;
using StreamingBeam.Tests.Support;

namespace StreamingBeam.Tests.Faults;

/// <summary>Faults found by driving the public API from outside (issue #15): each test failed before its fix.</summary>
[Collection(FaultSuite.Name)]
public class BeamPublicApiFaultTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public Task EditingTheOptionsOfSearchStartedEvent_ChangesNothingInTheRunningSearch() => NoUnobservedExceptions.RunAsync(async () =>
    {
        // One expansion is held until the consumer has edited the options, so the run is mid-iteration when it does.
        var held = BeamGateKeys.Expand(PromptDimension.What, 0);
        var providers = new GatedBeamProviders(autoRelease: key => key != held);
        var events = new List<BeamEvent>();
        await foreach (var e in BeamTestKit.Engine(providers)
            .SearchStreamingAsync(BeamTestKit.Prompt, new BeamSearchOptions { BeamWidth = 4, KeepTop = 2, MaxIterations = 2 })
            .WithCancellation(new CancellationTokenSource(Bound).Token))
        {
            if (e is SearchStartedEvent started)
            {
                started.Options.BeamWidth = 8;
                started.Options.MaxIterations = 1;
                started.Options.KeepTop = 8;
                providers.Gate.Release(held);
            }

            events.Add(e);
        }

        var result = Assert.IsType<SearchCompletedEvent>(events[^1]).Result;
        Assert.Equal(2, result.Iterations);
        Assert.Equal(8, result.CandidatesScored);
        Assert.Equal(4, events.OfType<CandidateScoredEvent>().Count(c => c.Candidate.Iteration == 0));
        Assert.Equal(2, events.OfType<IterationCompletedEvent>().First().Survivors.Count);
    });

    [Theory]
    [InlineData(BeamStage.Expand)]
    [InlineData(BeamStage.Image)]
    [InlineData(BeamStage.Alignment)]
    public Task StageTimeout_BoundsAProviderThatIgnoresItsToken_AndDiscardsItsLateResult(BeamStage stage) => NoUnobservedExceptions.RunAsync(async () =>
    {
        var time = new FakeTimeProvider();
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        var deaf = new DeafProviders(providers, stage);
        var engine = new BeamSearchEngine(deaf, deaf, deaf, timeProvider: time);
        var recorder = StreamRecorder<BeamEvent>.Start(engine.SearchStreamingAsync(
            BeamTestKit.Prompt,
            new BeamSearchOptions { BeamWidth = 2, KeepTop = 1, MaxIterations = 1, StageTimeout = TimeSpan.FromMilliseconds(150) }));

        await deaf.Held.Task.WaitAsync(Bound);
        await recorder.WaitForAsync<CandidateScoredEvent>(e => e.Candidate.Id == "c0-1").WaitAsync(Bound);
        time.Advance(TimeSpan.FromMilliseconds(150));

        // The lane fails at its timeout while the provider still holds the call.
        var failed = await recorder.WaitForAsync<CandidateFailedEvent>().WaitAsync(Bound);
        Assert.Equal("c0-0", failed.CandidateId);
        Assert.Equal(stage, failed.Stage);
        Assert.IsType<TimeoutException>(failed.Exception);
        Assert.False(deaf.Call.Task.IsCompleted);

        // The search ends as soon as the late call ends (within the grace); its result is discarded.
        deaf.Call.SetException(new InvalidOperationException("the provider finally answered, with an error"));
        var events = await recorder.ToEndAsync().WaitAsync(Bound);
        var result = Assert.IsType<SearchCompletedEvent>(events[^1]).Result;
        Assert.Equal(1, result.CandidatesScored);
        Assert.Equal(1, result.CandidatesFailed);
    });

    [Fact]
    public Task Cancellation_EndsTheStreamWithinTheGrace_WhenAProviderIgnoresItsToken() => NoUnobservedExceptions.RunAsync(async () =>
    {
        var time = new TimerCountingTime();
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        var deaf = new DeafProviders(providers, BeamStage.Image);
        var engine = new BeamSearchEngine(deaf, deaf, deaf, new BeamEngineOptions { AbandonedCallGrace = TimeSpan.FromSeconds(2) }, timeProvider: time);
        using var cts = new CancellationTokenSource();
        var recorder = StreamRecorder<BeamEvent>.Start(engine.SearchStreamingAsync(
            BeamTestKit.Prompt, new BeamSearchOptions { BeamWidth = 2, KeepTop = 1, MaxIterations = 1 }, cts.Token));
        await deaf.Held.Task.WaitAsync(Bound);
        await recorder.WaitForAsync<CandidateScoredEvent>(e => e.Candidate.Id == "c0-1").WaitAsync(Bound);

        await cts.CancelAsync();
        await BeamTestKit.EventuallyAsync(() => time.TimersOf(TimeSpan.FromSeconds(2)) > 0);
        Assert.False(recorder.Completion.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => recorder.Completion.WaitAsync(Bound));
        Assert.False(deaf.Call.Task.IsCompleted);
        deaf.Call.SetException(new InvalidOperationException("observed even though nobody waits for it any more"));
    });

    [Fact]
    public Task AnAlreadyCanceledToken_CallsNoProvider() => NoUnobservedExceptions.RunAsync(async () =>
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => BeamTestKit.Engine(providers).SearchAsync(BeamTestKit.Prompt, new BeamSearchOptions { BeamWidth = 6, KeepTop = 2 }, cts.Token));

        Assert.Empty(providers.Gate.Started);
    });

    [Fact]
    public Task NoProviderCallStarts_AfterCancellation_EvenWhenAProviderAnswersLate() => NoUnobservedExceptions.RunAsync(async () =>
    {
        // Expansions ignore their token and answer when the test says, after the search was canceled.
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        var late = new LateExpansions(providers);
        var engine = new BeamSearchEngine(late, providers.Images, providers.Scorer);
        using var cts = new CancellationTokenSource();
        var recorder = StreamRecorder<BeamEvent>.Start(engine.SearchStreamingAsync(
            BeamTestKit.Prompt, new BeamSearchOptions { BeamWidth = 4, KeepTop = 2 }, cts.Token));
        await BeamTestKit.EventuallyAsync(() => late.Waiting == 8);

        await cts.CancelAsync();
        late.AnswerAll();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => recorder.Completion.WaitAsync(Bound));
        Assert.Equal(0, late.CallsAfterExpansion);
        Assert.DoesNotContain(providers.Gate.Started, key => !key.StartsWith("expand:", StringComparison.Ordinal));
    });

    [Theory]
    [InlineData(BeamStage.Expand, "ILlmClient.ExpandAsync")]
    [InlineData(BeamStage.Combine, "ILlmClient.CombineAsync")]
    [InlineData(BeamStage.Critique, "ILlmClient.CritiqueAsync")]
    [InlineData(BeamStage.Refine, "ILlmClient.RefineAsync")]
    [InlineData(BeamStage.Image, "IImageGenerator.GenerateAsync")]
    [InlineData(BeamStage.Alignment, "IVisionScorer.ScoreAlignmentAsync")]
    [InlineData(BeamStage.Aesthetic, "IVisionScorer.ScoreAestheticAsync")]
    public Task AProviderThatReturnsANullTask_FailsTheCandidate_NamingTheMethod(BeamStage stage, string method) => NoUnobservedExceptions.RunAsync(async () =>
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        var broken = new NullTaskProviders(providers, stage);
        var engine = new BeamSearchEngine(broken, broken, broken);

        var events = new List<BeamEvent>();
        try
        {
            await foreach (var e in engine.SearchStreamingAsync(
                BeamTestKit.Prompt, new BeamSearchOptions { BeamWidth = 2, KeepTop = 1, MaxIterations = 2, MaxFailureRatio = 1 })
                .WithCancellation(new CancellationTokenSource(Bound).Token))
            {
                events.Add(e);
            }
        }
        catch (BeamSearchException ex)
        {
            // Stages of iteration 0 fail every candidate, so nothing is scored; the first failure is the inner exception.
            Assert.IsType<ProviderOutputException>(ex.InnerException);
        }

        var failed = events.OfType<CandidateFailedEvent>().First();
        Assert.Equal(stage, failed.Stage);
        var error = Assert.IsType<ProviderOutputException>(failed.Exception);
        Assert.StartsWith($"{method} returned a null task for candidate ", error.Message, StringComparison.Ordinal);
    });

    [Theory]
    [InlineData(6148914691236517420L, 0)]
    [InlineData(-5L, 0)]
    [InlineData(0L, 1)]
    public Task AbsurdUsage_FailsOnlyThatCall_AndTotalsNeverWrap(long inputTokens, int absurdCost) => NoUnobservedExceptions.RunAsync(async () =>
    {
        // One image reports usage no real call has (huge or negative tokens, or a cost near decimal.MaxValue).
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        var absurd = new ProviderUsage(InputTokens: inputTokens, Cost: absurdCost == 1 ? decimal.MaxValue / 2 : 0m);
        var images = new UsageOverride(providers.Images, BeamTestKit.Combined(0), absurd);
        var engine = new BeamSearchEngine(providers.Llm, images, providers.Scorer);

        var events = await engine.SearchStreamingAsync(BeamTestKit.Prompt, new BeamSearchOptions { BeamWidth = 3, KeepTop = 1, MaxIterations = 1 })
            .ToListAsync().AsTask().WaitAsync(Bound);

        var failed = Assert.Single(events.OfType<CandidateFailedEvent>());
        Assert.Equal("c0-0", failed.CandidateId);
        Assert.Equal(BeamStage.Image, failed.Stage);
        Assert.StartsWith("IImageGenerator.GenerateAsync reported unusable usage: ", failed.Exception.Message, StringComparison.Ordinal);
        var result = Assert.IsType<SearchCompletedEvent>(events[^1]).Result;
        Assert.Equal(2, result.CandidatesScored);
        Assert.InRange(result.Usage.TotalTokens, 0, 1_000_000);
        Assert.InRange(result.Usage.Cost, 0m, 1_000m);
    });

    /// <summary>An image generator whose image for one prompt reports the given usage.</summary>
    private sealed class UsageOverride(IImageGenerator inner, string prompt, ProviderUsage usage) : DelegatingImageGenerator(inner)
    {
        public override async Task<GeneratedImage> GenerateAsync(string imagePrompt, CancellationToken cancellationToken = default)
        {
            var image = await base.GenerateAsync(imagePrompt, cancellationToken);
            return imagePrompt == prompt
                ? new GeneratedImage { Data = image.Data, MediaType = image.MediaType, Metadata = image.Metadata, Usage = usage }
                : image;
        }
    }

    /// <summary>A fake clock that counts the timers created for each due time, to know when the engine waits.</summary>
    private sealed class TimerCountingTime : FakeTimeProvider
    {
        private readonly ConcurrentDictionary<TimeSpan, int> _timers = new();

        public int TimersOf(TimeSpan dueTime) => _timers.GetValueOrDefault(dueTime);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _timers.AddOrUpdate(dueTime, 1, static (_, n) => n + 1);
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }

    /// <summary>Providers over gated fakes whose first call at one stage ignores its token and answers only when the test
    /// completes <see cref="Call"/>.</summary>
    private sealed class DeafProviders(GatedBeamProviders inner, BeamStage stage) : ILlmClient, IImageGenerator, IVisionScorer
    {
        private int _taken;

        public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<object> Call { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<LlmResponse> ExpandAsync(ExpandRequest request, CancellationToken cancellationToken = default) =>
            Deaf(BeamStage.Expand, request.VariantIndex == 0 && request.Dimension == PromptDimension.What, () => inner.Llm.ExpandAsync(request, cancellationToken));

        public Task<LlmResponse> CombineAsync(CombineRequest request, CancellationToken cancellationToken = default) => inner.Llm.CombineAsync(request, cancellationToken);

        public Task<LlmResponse> CritiqueAsync(CritiqueRequest request, CancellationToken cancellationToken = default) => inner.Llm.CritiqueAsync(request, cancellationToken);

        public Task<LlmResponse> RefineAsync(RefineRequest request, CancellationToken cancellationToken = default) => inner.Llm.RefineAsync(request, cancellationToken);

        public Task<GeneratedImage> GenerateAsync(string prompt, CancellationToken cancellationToken = default) =>
            Deaf(BeamStage.Image, prompt == BeamTestKit.Combined(0), () => inner.Images.GenerateAsync(prompt, cancellationToken));

        public Task<VisionScore> ScoreAlignmentAsync(GeneratedImage image, string prompt, CancellationToken cancellationToken = default) =>
            Deaf(BeamStage.Alignment, GatedImageGenerator.PromptOf(image) == BeamTestKit.Combined(0), () => inner.Scorer.ScoreAlignmentAsync(image, prompt, cancellationToken));

        public Task<VisionScore> ScoreAestheticAsync(GeneratedImage image, CancellationToken cancellationToken = default) =>
            inner.Scorer.ScoreAestheticAsync(image, cancellationToken);

        private Task<T> Deaf<T>(BeamStage at, bool isTarget, Func<Task<T>> healthy)
        {
            if (at != stage || !isTarget || Interlocked.Exchange(ref _taken, 1) == 1)
            {
                return healthy();
            }

            Held.TrySetResult();
            return AnswerLateAsync(healthy);
        }

        private async Task<T> AnswerLateAsync<T>(Func<Task<T>> healthy)
        {
            await Call.Task; // ignores every token
            return await healthy();
        }
    }

    /// <summary>An LLM whose expansions ignore their token and answer together when the test says.</summary>
    private sealed class LateExpansions(GatedBeamProviders inner) : DelegatingLlmClient(inner.Llm)
    {
        private readonly TaskCompletionSource _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _waiting;
        private int _afterExpansion;

        public int Waiting => Volatile.Read(ref _waiting);

        public int CallsAfterExpansion => Volatile.Read(ref _afterExpansion);

        public void AnswerAll() => _answer.TrySetResult();

        public override async Task<LlmResponse> ExpandAsync(ExpandRequest request, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _waiting);
            await _answer.Task;
            return await base.ExpandAsync(request, CancellationToken.None);
        }

        public override Task<LlmResponse> CombineAsync(CombineRequest request, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _afterExpansion);
            return base.CombineAsync(request, cancellationToken);
        }
    }

    /// <summary>Providers over gated fakes that return a null task for every call of one stage.</summary>
    private sealed class NullTaskProviders(GatedBeamProviders inner, BeamStage stage) : ILlmClient, IImageGenerator, IVisionScorer
    {
        public Task<LlmResponse> ExpandAsync(ExpandRequest request, CancellationToken cancellationToken = default) =>
            stage == BeamStage.Expand ? null! : inner.Llm.ExpandAsync(request, cancellationToken);

        public Task<LlmResponse> CombineAsync(CombineRequest request, CancellationToken cancellationToken = default) =>
            stage == BeamStage.Combine ? null! : inner.Llm.CombineAsync(request, cancellationToken);

        public Task<LlmResponse> CritiqueAsync(CritiqueRequest request, CancellationToken cancellationToken = default) =>
            stage == BeamStage.Critique ? null! : inner.Llm.CritiqueAsync(request, cancellationToken);

        public Task<LlmResponse> RefineAsync(RefineRequest request, CancellationToken cancellationToken = default) =>
            stage == BeamStage.Refine ? null! : inner.Llm.RefineAsync(request, cancellationToken);

        public Task<GeneratedImage> GenerateAsync(string prompt, CancellationToken cancellationToken = default) =>
            stage == BeamStage.Image ? null! : inner.Images.GenerateAsync(prompt, cancellationToken);

        public Task<VisionScore> ScoreAlignmentAsync(GeneratedImage image, string prompt, CancellationToken cancellationToken = default) =>
            stage == BeamStage.Alignment ? null! : inner.Scorer.ScoreAlignmentAsync(image, prompt, cancellationToken);

        public Task<VisionScore> ScoreAestheticAsync(GeneratedImage image, CancellationToken cancellationToken = default) =>
            stage == BeamStage.Aesthetic ? null! : inner.Scorer.ScoreAestheticAsync(image, cancellationToken);
    }
}
