using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Time.Testing;
using StreamingBeam.Testing;
using static StreamingBeam.Tests.Beam.BeamTestKit;

namespace StreamingBeam.Tests.RateLimits;

/// <summary>A 429 pauses the provider kind for every lane, user rate limiters hold across searches, and a failed call's
/// usage is counted. Gated providers and a fake clock: no sleeps, no timings.</summary>
public class BeamRateLimitTests
{
    [Fact]
    public async Task ARefusedImage_PausesEveryLane_ThenImagesResumeOldestFirstAtTheAnnouncedPace()
    {
        // Combines are held so that the image calls arrive in a known order: 0 (refused once), then 1, then 2.
        var providers = new GatedBeamProviders(autoRelease: key => !key.StartsWith("combine:", StringComparison.Ordinal));
        var refusing = new RefusingImageGenerator(providers.Images, (prompt, attempt) => prompt == Combined(0) && attempt == 1 ? TimeSpan.FromSeconds(10) : null);
        var time = new FakeTimeProvider();
        var engine = new BeamSearchEngine(providers.Llm, refusing, providers.Scorer, timeProvider: time);
        var options = new BeamSearchOptions { BeamWidth = 3, KeepTop = 1, MaxIterations = 1 };
        var recorder = Support.StreamRecorder<BeamEvent>.Start(engine.SearchStreamingAsync(Prompt, options));

        providers.Gate.Release(BeamGateKeys.Combine(W(0), H(0)));
        await EventuallyAsync(() => refusing.Refusals == 1 && engine.ImageGate.Cooldown.Waiting == 1);

        // One at a time, so that the queue's order is known: 0's retry, then 1, then 2.
        providers.Gate.Release(BeamGateKeys.Combine(W(1), H(1)));
        await EventuallyAsync(() => engine.ImageGate.Cooldown.Waiting == 2, () => $"{engine.ImageGate.Cooldown.Waiting} waiting");
        providers.Gate.Release(BeamGateKeys.Combine(W(2), H(2)));
        await EventuallyAsync(() => engine.ImageGate.Cooldown.Waiting == 3, () => $"{engine.ImageGate.Cooldown.Waiting} waiting");

        // Nobody hammers the quota while it is paused: no image call at all before the 10 s the provider asked for.
        time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        Assert.Equal([Combined(0)], refusing.Attempts);

        time.Advance(TimeSpan.FromTicks(1));
        await EventuallyAsync(() => refusing.Attempts.Count == 2);
        Assert.Equal([Combined(0), Combined(0)], refusing.Attempts);
        time.Advance(TimeSpan.FromSeconds(10));
        await EventuallyAsync(() => refusing.Attempts.Count == 3);
        time.Advance(TimeSpan.FromSeconds(10));
        await EventuallyAsync(() => refusing.Attempts.Count == 4);
        Assert.Equal([Combined(0), Combined(0), Combined(1), Combined(2)], refusing.Attempts);

        var events = await recorder.ToEndAsync();
        Assert.Empty(events.OfType<CandidateFailedEvent>());
        Assert.Equal(3, events.Scored().Count);
        Assert.Equal(1, refusing.Refusals);
    }

    [Fact]
    public async Task ARefusalLongerThanMaxRateLimitWait_FailsTheCandidateAndSaysWhy()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        var refusing = new RefusingImageGenerator(providers.Images, (prompt, _) => prompt == Combined(0) ? TimeSpan.FromMinutes(10) : null);
        var engine = new BeamSearchEngine(providers.Llm, refusing, providers.Scorer, timeProvider: new FakeTimeProvider());
        var options = new BeamSearchOptions { BeamWidth = 1, KeepTop = 1, MaxIterations = 1, Retry = { MaxRateLimitWait = TimeSpan.FromMinutes(5) } };

        var error = await Assert.ThrowsAsync<BeamSearchException>(async () =>
        {
            await foreach (var _ in engine.SearchStreamingAsync(Prompt, options))
            {
            }
        });

        var failure = Assert.IsType<ProviderException>(error.InnerException);
        Assert.IsType<ProviderRateLimitedException>(failure.InnerException);
        Assert.False(failure.IsTransient);
        Assert.Equal(429, failure.StatusCode);
        Assert.Contains("IImageGenerator.GenerateAsync was refused by the provider's rate limit 1 times", failure.Message, StringComparison.Ordinal);
        Assert.Contains("would pass Retry.MaxRateLimitWait (00:05:00)", failure.Message, StringComparison.Ordinal);
        Assert.Equal(1, refusing.Refusals);
    }

    [Fact]
    public async Task AnImageRateLimiter_HoldsTheImageCalls_AndCancelingLeavesNothingQueued()
    {
        var providers = new GatedBeamProviders(autoRelease: key => !key.StartsWith("image:", StringComparison.Ordinal));
        using var limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = 1, QueueLimit = 100, QueueProcessingOrder = QueueProcessingOrder.OldestFirst });
        var engine = Engine(providers, new BeamEngineOptions { ImageRateLimiter = limiter });
        var options = new BeamSearchOptions { BeamWidth = 4, KeepTop = 1, MaxIterations = 1 };
        using var cts = new CancellationTokenSource();
        var search = Support.StreamRecorder<BeamEvent>.Start(engine.SearchStreamingAsync(Prompt, options, cts.Token), CancellationToken.None);

        // Four image calls, one permit: one runs, three wait in the limiter's queue.
        await EventuallyAsync(() => limiter.GetStatistics()!.CurrentQueuedCount == 3, () => $"{limiter.GetStatistics()!.CurrentQueuedCount} queued");
        Assert.Equal(1, providers.Gate.InFlight);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => search.ToEndAsync());
        var statistics = limiter.GetStatistics()!;
        Assert.Equal(0, statistics.CurrentQueuedCount);
        Assert.Equal(1, statistics.CurrentAvailablePermits);
    }

    [Fact]
    public async Task ALimiterThatRefusesWithoutSayingWhen_FailsTheCallWithAnErrorNamingTheOption()
    {
        var providers = new GatedBeamProviders(autoRelease: key => key != BeamGateKeys.Image(Combined(0)));
        using var limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = 1, QueueLimit = 0 });
        var engine = Engine(providers, new BeamEngineOptions { ImageRateLimiter = limiter });
        var options = new BeamSearchOptions { BeamWidth = 2, KeepTop = 1, MaxIterations = 1 };
        var recorder = Support.StreamRecorder<BeamEvent>.Start(engine.SearchStreamingAsync(Prompt, options), CancellationToken.None);

        var failed = await recorder.WaitForAsync<CandidateFailedEvent>();
        providers.Gate.Release(BeamGateKeys.Image(Combined(0)));

        Assert.Equal("c0-1", failed.CandidateId);
        Assert.Contains("The BeamEngineOptions.ImageRateLimiter refused a permit without saying when one will be free", failed.Exception.Message, StringComparison.Ordinal);
        await recorder.ToEndAsync();
    }

    [Fact]
    public async Task UsageOfFailedCalls_IsCounted_InTheResultAndInTheException()
    {
        var charged = new ProviderUsage(InputTokens: 100, OutputTokens: 20, Cost: 0.5m);
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        var refusing = new RefusingImageGenerator(
            providers.Images,
            (_, _) => null,
            fail: prompt => new ProviderOutputException($"no image for {prompt.Length} characters") { Usage = charged });
        var engine = new BeamSearchEngine(providers.Llm, refusing, providers.Scorer);
        var options = new BeamSearchOptions { BeamWidth = 2, KeepTop = 1, MaxIterations = 1, MaxFailureRatio = 1 };

        var error = await Assert.ThrowsAsync<BeamSearchException>(async () =>
        {
            await foreach (var _ in engine.SearchStreamingAsync(Prompt, options))
            {
            }
        });

        // Two images were refused as unusable, and each was charged: both count (the gated LLM reports tokens, no cost).
        Assert.Equal(1.0m, error.Usage.Cost);
    }

    [Fact]
    public async Task AnUnusableReply_IsStillCounted_AndCountsTowardTheCostBudget()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        var charging = new ChargingLlm(providers.Llm, new ProviderUsage(InputTokens: 10, Cost: 1m), emptyCombineFor: W(0));
        var engine = new BeamSearchEngine(charging, providers.Images, providers.Scorer);
        var options = new BeamSearchOptions { BeamWidth = 2, KeepTop = 1, MaxIterations = 1 };

        var events = await Support.StreamRecorder<BeamEvent>.Start(engine.SearchStreamingAsync(Prompt, options)).ToEndAsync();

        var failed = Assert.Single(events.OfType<CandidateFailedEvent>());
        Assert.Equal(BeamStage.Combine, failed.Stage);
        var result = Assert.IsType<SearchCompletedEvent>(events[^1]).Result;

        // 2 expansions per candidate and 2 combines, the rejected one included: 6 calls at 1 each.
        Assert.Equal(6m, result.Usage.Cost);
    }

    /// <summary>Refuses (429) or fails the calls its rule picks, then passes on to the gated generator.</summary>
    private sealed class RefusingImageGenerator(
        IImageGenerator inner, Func<string, int, TimeSpan?> refuse, Func<string, Exception?>? fail = null) : IImageGenerator
    {
        private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);
        private readonly ConcurrentQueue<string> _order = new();
        private int _refusals;

        public IReadOnlyList<string> Attempts => [.. _order];

        public int Refusals => Volatile.Read(ref _refusals);

        public Task<GeneratedImage> GenerateAsync(string prompt, CancellationToken cancellationToken = default)
        {
            _order.Enqueue(prompt);
            var attempt = _attempts.AddOrUpdate(prompt, 1, (_, n) => n + 1);
            if (refuse(prompt, attempt) is { } retryAfter)
            {
                Interlocked.Increment(ref _refusals);
                return Task.FromException<GeneratedImage>(new ProviderRateLimitedException("Rate limit reached for images.", retryAfter, null));
            }

            return fail?.Invoke(prompt) is { } error ? Task.FromException<GeneratedImage>(error) : inner.GenerateAsync(prompt, cancellationToken);
        }
    }

    /// <summary>Reports usage on every call, and answers one candidate's combine with empty text.</summary>
    private sealed class ChargingLlm(ILlmClient inner, ProviderUsage usage, string emptyCombineFor) : ILlmClient
    {
        public async Task<LlmResponse> ExpandAsync(ExpandRequest request, CancellationToken cancellationToken = default) =>
            new((await inner.ExpandAsync(request, cancellationToken)).Text, usage);

        public async Task<LlmResponse> CombineAsync(CombineRequest request, CancellationToken cancellationToken = default)
        {
            var response = await inner.CombineAsync(request, cancellationToken);
            return new LlmResponse(request.What == emptyCombineFor ? string.Empty : response.Text, usage);
        }

        public async Task<LlmResponse> CritiqueAsync(CritiqueRequest request, CancellationToken cancellationToken = default) =>
            new((await inner.CritiqueAsync(request, cancellationToken)).Text, usage);

        public async Task<LlmResponse> RefineAsync(RefineRequest request, CancellationToken cancellationToken = default) =>
            new((await inner.RefineAsync(request, cancellationToken)).Text, usage);
    }
}
