using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.CircuitBreaker;
using StreamingBeam.Testing;

namespace StreamingBeam.Tests.Providers.Polly;

/// <summary>Issue #16 item 4: a user's Polly v8 pipeline around a provider, plugged in through the decorators as
/// docs/polly.md shows. Image calls are serialized (<c>MaxConcurrentImageGenerations = 1</c>) where the test counts on
/// the breaker seeing outcomes in call order.</summary>
public sealed class PollyPipelineTests
{
    [Fact]
    public async Task CircuitBreaker_OpensAfterFailures_ThenTheEngineFailsTheOtherCandidatesWithoutCallingTheProvider()
    {
        var time = new FakeTimeProvider();
        var breaker = new CircuitBreakerStateProvider();
        var images = new ScriptedImages((call, _) => call <= 2
            ? Task.FromException<GeneratedImage>(ScriptedImages.Unavailable(call))
            : Task.FromResult(ScriptedImages.Image));
        await using var services = Engine(images, ImagePipelines.RetryThenBreaker(time, breaker), beamWidth: 6);
        var engine = services.GetRequiredService<IBeamSearchEngine>();

        var broken = await RecordAsync(engine.SearchStreamingAsync("a fox"));

        // Call 1 failed, Polly retried it (call 2), which failed too: two failures in two calls open the breaker, and the
        // retry's next attempt, like every other candidate's image, is refused without reaching the provider.
        Assert.Equal(2, images.Calls);
        Assert.Equal(CircuitState.Open, breaker.CircuitState);
        Assert.IsType<BeamSearchException>(broken.Error);
        Assert.Equal(6, broken.Failed.Count);
        Assert.All(broken.Failed, f =>
        {
            Assert.Equal(BeamStage.Image, f.Stage);
            Assert.IsType<BrokenCircuitException>(f.Exception);
        });
        Assert.False(ProviderFailures.IsTransient(new BrokenCircuitException())); // so the engine's retry leaves it alone

        // Once the break is over, the first call probes the provider (which answers again) and closes the circuit.
        time.Advance(ImagePipelines.BreakDuration);
        var healed = await RecordAsync(engine.SearchStreamingAsync("a fox"));

        Assert.Null(healed.Error);
        Assert.Equal(6, healed.Scored);
        Assert.Equal(2 + 6, images.Calls);
        Assert.Equal(CircuitState.Closed, breaker.CircuitState);
    }

    [Fact]
    public async Task Cancellation_ReachesTheProviderThroughThePipeline_AndIsNeitherRetriedNorAFailure()
    {
        var breaker = new CircuitBreakerStateProvider();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var images = new ScriptedImages(async (_, token) =>
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
            return ScriptedImages.Image;
        });
        await using var services = Engine(images, ImagePipelines.RetryThenBreaker(new FakeTimeProvider(), breaker), beamWidth: 1);
        using var cts = new CancellationTokenSource();

        var search = RecordAsync(services.GetRequiredService<IBeamSearchEngine>().SearchStreamingAsync("a fox", cancellationToken: cts.Token));
        await entered.Task;
        Assert.False(Assert.Single(images.Tokens).IsCancellationRequested);
        await cts.CancelAsync();
        var canceled = await search;

        Assert.IsAssignableFrom<OperationCanceledException>(canceled.Error);
        Assert.True(Assert.Single(images.Tokens).IsCancellationRequested);
        Assert.Empty(canceled.Failed);
        Assert.Equal(CircuitState.Closed, breaker.CircuitState);
    }

    [Fact]
    public async Task RateLimited_PassesThroughThePipeline_NotRetriedAndNotCountedByTheBreaker()
    {
        var breaker = new CircuitBreakerStateProvider();
        var limited = new ProviderRateLimitedException("ImageApi.GenerateAsync: 429 Too Many Requests.", TimeSpan.FromSeconds(20), null);
        var images = new ScriptedImages((_, _) => Task.FromException<GeneratedImage>(limited));
        var generator = new ResilientImageGenerator(images, ImagePipelines.RetryThenBreaker(new FakeTimeProvider(), breaker));

        for (var call = 1; call <= 3; call++)
        {
            Assert.Same(limited, await Assert.ThrowsAsync<ProviderRateLimitedException>(() => generator.GenerateAsync("a fox")));
            Assert.Equal(call, images.Calls);
        }

        Assert.Equal(CircuitState.Closed, breaker.CircuitState);
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(1, 6)]
    public async Task Retries_OfTheEngineAndOfPolly_Multiply(int engineRetries, int providerCalls)
    {
        var images = new ScriptedImages((call, _) => Task.FromException<GeneratedImage>(ScriptedImages.Unavailable(call)));
        await using var services = Engine(images, ImagePipelines.RetryOnly(retries: 2), beamWidth: 1);
        var options = new BeamSearchOptions
        {
            BeamWidth = 1,
            KeepTop = 1,
            MaxIterations = 1,
            Retry = new BeamRetryOptions { MaxRetries = engineRetries, BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero },
        };

        var search = await RecordAsync(services.GetRequiredService<IBeamSearchEngine>().SearchStreamingAsync("a fox", options));

        Assert.IsType<ProviderException>(Assert.Single(search.Failed).Exception);
        Assert.Equal(providerCalls, images.Calls); // (1 + engine retries) x (1 + Polly's 2 retries)
    }

    private static ServiceProvider Engine(IImageGenerator images, ResiliencePipeline pipeline, int beamWidth)
    {
        var others = SimulatedProviders.Create(seed: 16, SimulatedProvidersOptions.Instant());
        return new ServiceCollection()
            .AddSingleton<ILlmClient>(others.Llm)
            .AddSingleton(images)
            .AddSingleton<IVisionScorer>(others.VisionScorer)
            .AddStreamingBeam(o =>
            {
                o.MaxConcurrentImageGenerations = 1;
                o.DefaultSearch = new BeamSearchOptions { BeamWidth = beamWidth, KeepTop = 1, MaxIterations = 1 };
            })
            .UseImageGenerator(inner => new ResilientImageGenerator(inner, pipeline))
            .Services.BuildServiceProvider();
    }

    private static async Task<SearchRecord> RecordAsync(IAsyncEnumerable<BeamEvent> events)
    {
        var record = new SearchRecord();
        try
        {
            await foreach (var e in events)
            {
                switch (e)
                {
                    case CandidateScoredEvent:
                        record.Scored++;
                        break;
                    case CandidateFailedEvent failed:
                        record.Failed.Add(failed);
                        break;
                }
            }
        }
        catch (Exception e) when (e is BeamSearchException or OperationCanceledException)
        {
            record.Error = e;
        }

        return record;
    }

    private sealed class SearchRecord
    {
        public int Scored { get; set; }

        public List<CandidateFailedEvent> Failed { get; } = [];

        public Exception? Error { get; set; }
    }
}
