using StreamingBeam.Concurrency;
using StreamingBeam.Testing;
using static StreamingBeam.Tests.Beam.BeamTestKit;

namespace StreamingBeam.Tests.Beam;

public class ConcurrencyLimitTests
{
    [Fact]
    public async Task Limiter_AdmitsWaitersFirstComeFirstServed()
    {
        var limiter = new AsyncLimiter(1);
        await limiter.WaitAsync(CancellationToken.None);
        var second = limiter.WaitAsync(CancellationToken.None);
        var third = limiter.WaitAsync(CancellationToken.None);

        limiter.Release();
        await second;
        Assert.False(third.IsCompleted);

        limiter.Release();
        await third;
        Assert.Equal(1, limiter.InUse);
    }

    [Fact]
    public async Task Limiter_CanceledWaiter_GivesUpItsPlaceWithoutTakingASlot()
    {
        var limiter = new AsyncLimiter(1);
        await limiter.WaitAsync(CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var canceled = limiter.WaitAsync(cts.Token);
        var next = limiter.WaitAsync(CancellationToken.None);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => canceled);
        limiter.Release();

        await next;
        limiter.Release();
        Assert.Equal(0, limiter.InUse);
    }

    [Fact]
    public async Task ImageLimit_HoldsAcrossEverySearchOfTheEngine()
    {
        var providers = new GatedBeamProviders(autoRelease: key => !key.StartsWith("image:", StringComparison.Ordinal));
        var engine = new BeamSearchEngine(
            new SecondSearchOffsetLlm(providers.Llm), providers.Images, providers.Scorer,
            new BeamEngineOptions { MaxConcurrentImageGenerations = 1 });
        var options = new BeamSearchOptions { BeamWidth = 2, KeepTop = 1, MaxIterations = 1 };
        var first = Support.StreamRecorder<BeamEvent>.Start(engine.SearchStreamingAsync("first", options));
        var second = Support.StreamRecorder<BeamEvent>.Start(engine.SearchStreamingAsync("second", options));

        // Four lanes want an image; one has the slot and three queue behind it.
        await EventuallyAsync(() => engine.ImageLimiter!.Waiting == 3);
        for (var released = 0; released < 4; released++)
        {
            var running = providers.Gate.Started.Where(k => k.StartsWith("image:", StringComparison.Ordinal)).ToArray();
            Assert.Equal(released + 1, running.Length);
            Assert.Equal(1, providers.Gate.InFlight);
            providers.Gate.Release(running[^1]);
            if (released < 3)
            {
                await EventuallyAsync(() => engine.ImageLimiter!.Waiting == 2 - released, () => $"waiting {engine.ImageLimiter!.Waiting}, in use {engine.ImageLimiter.InUse}, in flight {providers.Gate.InFlight}, started {string.Join(",", providers.Gate.Started)}");
                await EventuallyAsync(() => providers.Gate.InFlight == 1);
            }
        }

        await first.ToEndAsync();
        await second.ToEndAsync();
        Assert.Equal(0, engine.ImageLimiter!.InUse);
    }

    /// <summary>Shifts the second search's variant indexes so that its calls have gate keys of their own.</summary>
    private sealed class SecondSearchOffsetLlm(ILlmClient inner) : ILlmClient
    {
        public Task<LlmResponse> ExpandAsync(ExpandRequest request, CancellationToken cancellationToken = default) =>
            inner.ExpandAsync(
                new ExpandRequest
                {
                    UserPrompt = request.UserPrompt,
                    Dimension = request.Dimension,
                    Temperature = request.Temperature,
                    VariantIndex = request.UserPrompt == "second" ? request.VariantIndex + 100 : request.VariantIndex,
                },
                cancellationToken);

        public Task<LlmResponse> CombineAsync(CombineRequest request, CancellationToken cancellationToken = default) => inner.CombineAsync(request, cancellationToken);

        public Task<LlmResponse> CritiqueAsync(CritiqueRequest request, CancellationToken cancellationToken = default) => inner.CritiqueAsync(request, cancellationToken);

        public Task<LlmResponse> RefineAsync(RefineRequest request, CancellationToken cancellationToken = default) => inner.RefineAsync(request, cancellationToken);
    }
}
