using Microsoft.Extensions.Time.Testing;

namespace StreamingBeam.Testing.Tests.Simulation;

/// <summary>The simulated quota: a token bucket per provider instance on the provider's clock, refusing calls over it at
/// once with a 429 whose RetryAfter is exactly the time until the next token.</summary>
public class QuotaTests
{
    private static SimulatedImageGenerator Generator(FakeTimeProvider clock, SimulatedQuotaOptions? quota, LatencyDistribution? latency = null, long seed = 3) =>
        new(seed, new SimulatedImageGeneratorOptions { Latency = latency ?? LatencyDistribution.Zero, RenderImages = false, Quota = quota }, clock);

    [Fact]
    public async Task Burst_IsAdmitted_AndTheNextCallIsRefusedAtOnce_WithTheTimeUntilTheNextToken()
    {
        var clock = new FakeTimeProvider();
        var generator = Generator(clock, SimulatedQuotaOptions.PerSecond(10, burst: 5), LatencyDistribution.Fixed(TimeSpan.FromSeconds(2)));

        var admitted = Enumerable.Range(0, 5).Select(i => generator.GenerateAsync($"prompt {i}")).ToList();
        var refused = generator.GenerateAsync("prompt 5");

        Assert.All(admitted, call => Assert.False(call.IsCompleted, "An admitted call waits for its latency."));
        Assert.True(refused.IsFaulted, "A refused call answers at once, without its latency.");
        var ex = await Assert.ThrowsAsync<ProviderRateLimitedException>(() => refused);
        Assert.Equal(TimeSpan.FromMilliseconds(100), ex.RetryAfter);
        Assert.Equal(429, ex.StatusCode);
        Assert.True(ex.IsTransient);
        Assert.Equal("SimulatedImageGenerator.GenerateAsync", ex.Operation);
        Assert.Equal(
            "Simulated rate limit: SimulatedImageGenerator refused the GenerateImage call; retry after 100 ms (its quota is 10 requests per second, burst 5).",
            ex.Message);
        Assert.Equal(1, generator.RateLimitedCalls);

        clock.Advance(TimeSpan.FromSeconds(2));
        foreach (var call in admitted)
        {
            Assert.NotNull((await call).Uri);
        }
    }

    [Fact]
    public async Task Tokens_Refill_OneEveryPeriodOverRequests()
    {
        var clock = new FakeTimeProvider();
        var generator = Generator(clock, SimulatedQuotaOptions.PerSecond(10, burst: 2));
        await generator.GenerateAsync("a");
        await generator.GenerateAsync("b");

        clock.Advance(TimeSpan.FromMilliseconds(99));
        Assert.Equal(TimeSpan.FromMilliseconds(1), (await RefusedAsync(generator.GenerateAsync("c"))).RetryAfter);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        await generator.GenerateAsync("c");
        Assert.Equal(TimeSpan.FromMilliseconds(100), (await RefusedAsync(generator.GenerateAsync("d"))).RetryAfter);

        // Three periods' worth of quiet refills no more than the burst.
        clock.Advance(TimeSpan.FromMilliseconds(300));
        await generator.GenerateAsync("d");
        await generator.GenerateAsync("e");
        Assert.Equal(TimeSpan.FromMilliseconds(100), (await RefusedAsync(generator.GenerateAsync("f"))).RetryAfter);
        Assert.Equal(3, generator.RateLimitedCalls);
    }

    [Fact]
    public async Task RefusedCalls_TakeNoToken()
    {
        var clock = new FakeTimeProvider();
        var generator = Generator(clock, SimulatedQuotaOptions.PerMinute(6, burst: 1));
        await generator.GenerateAsync("first");

        for (var i = 0; i < 20; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(250));
            var ex = await RefusedAsync(generator.GenerateAsync($"refused {i}"));
            Assert.Equal(TimeSpan.FromSeconds(10) - TimeSpan.FromMilliseconds(250 * (i + 1)), ex.RetryAfter);
        }

        clock.Advance(TimeSpan.FromSeconds(5));
        await generator.GenerateAsync("second");
        Assert.Equal(20, generator.RateLimitedCalls);
    }

    [Fact]
    public async Task RetryAfter_IsRoundedUpToWholeMilliseconds_SoAWaitOfExactlyThatLongIsAdmitted()
    {
        var clock = new FakeTimeProvider();
        var generator = Generator(clock, SimulatedQuotaOptions.PerSecond(7, burst: 1));
        await generator.GenerateAsync("a");

        // 1/7 s is 142.857... ms.
        var ex = await RefusedAsync(generator.GenerateAsync("b"));
        Assert.Equal(TimeSpan.FromMilliseconds(143), ex.RetryAfter);

        clock.Advance(TimeSpan.FromMilliseconds(142));
        Assert.Equal(TimeSpan.FromMilliseconds(1), (await RefusedAsync(generator.GenerateAsync("b"))).RetryAfter);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await generator.GenerateAsync("b");

        // The next token is due 2/7 s after the start (285.714... ms); the clock is at 143 ms.
        Assert.Equal(TimeSpan.FromMilliseconds(143), (await RefusedAsync(generator.GenerateAsync("c"))).RetryAfter);
    }

    [Fact]
    public async Task Burst_DefaultsToAWholePeriodsWorth()
    {
        var clock = new FakeTimeProvider();
        var generator = Generator(clock, SimulatedQuotaOptions.PerMinute(3));

        for (var i = 0; i < 3; i++)
        {
            await generator.GenerateAsync($"p{i}");
        }

        Assert.Equal(TimeSpan.FromSeconds(20), (await RefusedAsync(generator.GenerateAsync("p3"))).RetryAfter);
    }

    [Fact]
    public async Task AdmittedCalls_ReturnWhatTheyWouldWithoutAQuota()
    {
        var clock = new FakeTimeProvider();
        var limited = Generator(clock, SimulatedQuotaOptions.PerSecond(1, burst: 1));
        var unlimited = Generator(clock, quota: null);
        await limited.GenerateAsync("warm-up");
        await RefusedAsync(limited.GenerateAsync("a fox"));

        clock.Advance(TimeSpan.FromSeconds(1));
        var image = await limited.GenerateAsync("a fox");

        Assert.Equal((await unlimited.GenerateAsync("a fox")).Uri, image.Uri);
        Assert.Equal(0, unlimited.RateLimitedCalls);
    }

    [Fact]
    public async Task ARefusedCall_IsNotARepeat_ForRedrawOnRepeat()
    {
        // With RedrawOnRepeat a request's n-th call draws its fault from n: a call the quota refused was never made, so
        // the first admitted call of a request draws what the first call of an unlimited provider draws.
        var clock = new FakeTimeProvider();
        SimulatedLlmClient Client(SimulatedQuotaOptions? quota) =>
            new(5, new SimulatedLlmOptions { Latency = LatencyDistribution.Zero, FailureRate = 0.5, RedrawOnRepeat = true, Quota = quota }, clock);
        var limited = Client(SimulatedQuotaOptions.PerSecond(1, burst: 1));
        var unlimited = Client(null);
        await OutcomeAsync(limited.CombineAsync(Requests.Combine("warm", "up")));

        var outcomes = new List<(string Limited, string Unlimited)>();
        for (var i = 0; i < 12; i++)
        {
            var request = Requests.Combine($"what {i}", "how");
            await RefusedAsync(limited.CombineAsync(request));
            clock.Advance(TimeSpan.FromSeconds(1));
            outcomes.Add((await OutcomeAsync(limited.CombineAsync(request)), await OutcomeAsync(unlimited.CombineAsync(request))));
        }

        Assert.All(outcomes, o => Assert.Equal(o.Unlimited, o.Limited));
        Assert.Contains(outcomes, o => o.Limited == "fault");
        Assert.Contains(outcomes, o => o.Limited != "fault");
    }

    [Fact]
    public async Task TheBucket_IsSharedByEveryOperationOfOneInstance_AndNotBetweenInstances()
    {
        var clock = new FakeTimeProvider();
        SimulatedVisionScorer Scorer() =>
            new(1, new SimulatedVisionScorerOptions { Latency = LatencyDistribution.Zero, Quota = SimulatedQuotaOptions.PerMinute(60, burst: 2) }, clock);
        var scorer = Scorer();
        var other = Scorer();
        var image = new GeneratedImage { Data = new byte[] { 1, 2, 3 } };

        await scorer.ScoreAlignmentAsync(image, "a fox");
        await scorer.ScoreAestheticAsync(image);
        var ex = await RefusedAsync(scorer.ScoreAestheticAsync(image));
        await other.ScoreAestheticAsync(image);

        Assert.Equal(TimeSpan.FromSeconds(1), ex.RetryAfter);
        Assert.Equal("SimulatedVisionScorer.ScoreAestheticAsync", ex.Operation);
        Assert.Equal((1, 0), (scorer.RateLimitedCalls, other.RateLimitedCalls));
    }

    [Fact]
    public async Task EveryProviderKind_HasItsQuota()
    {
        var clock = new FakeTimeProvider();
        var options = SimulatedProvidersOptions.Instant();
        options.Llm.Quota = SimulatedQuotaOptions.PerSecond(1, burst: 1);
        options.ImageGenerator.Quota = SimulatedQuotaOptions.PerSecond(1, burst: 1);
        options.VisionScorer.Quota = SimulatedQuotaOptions.PerSecond(1, burst: 1);
        var providers = SimulatedProviders.Create(2, options, clock);
        var extractor = providers.CreateExtractor("scene", new SimulatedExtractorOptions { Latency = LatencyDistribution.Zero, Quota = SimulatedQuotaOptions.PerSecond(1, burst: 1) });
        var context = new InputOnlyContext(Requests.Input("text"));
        var image = new GeneratedImage { Data = new byte[] { 7 } };

        await providers.Llm.ExpandAsync(Requests.Expand(PromptDimension.What, 0));
        await RefusedAsync(providers.Llm.RefineAsync(Requests.Refine(PromptDimension.What, "a", "b", "c", 0)));
        await providers.ImageGenerator.GenerateAsync("a");
        await RefusedAsync(providers.ImageGenerator.GenerateAsync("b"));
        await providers.VisionScorer.ScoreAestheticAsync(image);
        await RefusedAsync(providers.VisionScorer.ScoreAlignmentAsync(image, "a"));
        await extractor.ExtractAsync(context);
        var ex = await RefusedAsync(extractor.ExtractAsync(context));

        Assert.Equal("SimulatedExtractor 'scene'.ExtractAsync", ex.Operation);
        Assert.Equal((1, 1, 1, 1), (providers.Llm.RateLimitedCalls, providers.ImageGenerator.RateLimitedCalls, providers.VisionScorer.RateLimitedCalls, extractor.RateLimitedCalls));
    }

    [Fact]
    public async Task ACanceledCall_TakesNoToken()
    {
        var clock = new FakeTimeProvider();
        var generator = Generator(clock, SimulatedQuotaOptions.PerSecond(1, burst: 1));

        var canceled = generator.GenerateAsync("a", new CancellationToken(canceled: true));

        Assert.True(canceled.IsCanceled);
        await generator.GenerateAsync("a");
        Assert.Equal(0, generator.RateLimitedCalls);
    }

    [Fact]
    public async Task ConcurrentCalls_AdmitExactlyTheBurst()
    {
        var clock = new FakeTimeProvider();
        var generator = Generator(clock, SimulatedQuotaOptions.PerSecond(10, burst: 25));

        var calls = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(() => OutcomeAsync(generator.GenerateAsync($"p{i}")))));

        Assert.Equal(25, calls.Count(o => o != "refused"));
        Assert.Equal(375, generator.RateLimitedCalls);
    }

    [Fact]
    public async Task TheSameCallsAtTheSameTimes_GiveTheSameAdmissionsAndRetryAfters()
    {
        static async Task<List<string>> RunAsync()
        {
            var clock = new FakeTimeProvider();
            var generator = Generator(clock, SimulatedQuotaOptions.PerSecond(3, burst: 2), seed: 11);
            var log = new List<string>();
            for (var i = 0; i < 40; i++)
            {
                clock.Advance(TimeSpan.FromMilliseconds(37 * (i % 5)));
                try
                {
                    log.Add((await generator.GenerateAsync($"prompt {i % 7}")).Uri!.ToString());
                }
                catch (ProviderRateLimitedException ex)
                {
                    log.Add($"429 after {ex.RetryAfter}");
                }
            }

            log.Add($"refused {generator.RateLimitedCalls}");
            return log;
        }

        var first = await RunAsync();
        var second = await RunAsync();

        Assert.Equal(first, second);
        Assert.Contains(first, line => line.StartsWith("429", StringComparison.Ordinal));
        Assert.Contains(first, line => line.StartsWith("simulated:", StringComparison.Ordinal));
    }

    [Fact]
    public void ToString_SaysTheRateAndTheBurst()
    {
        Assert.Equal("10 requests per second, burst 5", SimulatedQuotaOptions.PerSecond(10, 5).ToString());
        Assert.Equal("1 request per minute, burst 1", SimulatedQuotaOptions.PerMinute(1).ToString());
        Assert.Equal("100 requests per day, burst 100", new SimulatedQuotaOptions { RequestsPerPeriod = 100, Period = TimeSpan.FromDays(1) }.ToString());
        Assert.Equal("4 requests per 00:00:10, burst 4", new SimulatedQuotaOptions { RequestsPerPeriod = 4, Period = TimeSpan.FromSeconds(10) }.ToString());
    }

    private static async Task<ProviderRateLimitedException> RefusedAsync<T>(Task<T> call)
    {
        Assert.True(call.IsFaulted, "A refused call answers at once.");
        return await Assert.ThrowsAsync<ProviderRateLimitedException>(() => call);
    }

    private static async Task<string> OutcomeAsync<T>(Task<T> call)
    {
        try
        {
            return await call switch
            {
                LlmResponse response => response.Text,
                GeneratedImage image => image.Uri?.ToString() ?? "no uri",
                var other => other?.ToString() ?? "null",
            };
        }
        catch (ProviderRateLimitedException)
        {
            return "refused";
        }
        catch (SimulatedFaultException)
        {
            return "fault";
        }
    }
}
