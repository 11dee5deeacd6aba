using Microsoft.Extensions.Time.Testing;

namespace StreamingBeam.Testing.Tests.Simulation;

/// <summary>Latencies wait on the injected clock, and complete exactly when it passes the drawn latency.</summary>
public class LatencyTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Call_CompletesExactlyWhenTheFakeClockPassesTheDrawnLatency(int variant)
    {
        var clock = new FakeTimeProvider();
        var options = new SimulatedLlmOptions { Latency = LatencyDistribution.LogNormal(TimeSpan.FromMilliseconds(700), 0.5) };
        var client = new SimulatedLlmClient(21, options, clock);
        var request = Requests.Expand(PromptDimension.How, variant);
        var latency = client.GetLatency(request);
        Assert.True(latency > TimeSpan.FromTicks(1));

        var call = client.ExpandAsync(request);
        clock.Advance(latency - TimeSpan.FromTicks(1));
        Assert.False(call.IsCompleted, "The call completed before its latency.");

        clock.Advance(TimeSpan.FromTicks(1));
        var response = await call.WaitAsync(Guard);
        Assert.False(string.IsNullOrWhiteSpace(response.Text));
    }

    [Fact]
    public async Task ConcurrentCalls_CompleteInTheOrderOfTheirDrawnLatencies()
    {
        var clock = new FakeTimeProvider();
        var generator = new SimulatedImageGenerator(5,
            new SimulatedImageGeneratorOptions { Latency = LatencyDistribution.Uniform(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)), Width = 4, Height = 4 },
            clock);
        var prompts = Enumerable.Range(0, 6).Select(i => $"prompt {i}").ToArray();
        var calls = prompts.ToDictionary(p => p, p => generator.GenerateAsync(p));

        foreach (var prompt in prompts.OrderBy(generator.GetLatency))
        {
            var due = generator.GetLatency(prompt);
            clock.Advance(due - (clock.GetUtcNow() - clock.Start));
            await calls[prompt].WaitAsync(Guard);
            Assert.All(prompts.Where(p => generator.GetLatency(p) > due), p => Assert.False(calls[p].IsCompleted, $"{p} completed early."));
        }
    }

    [Fact]
    public void GetLatency_IsRoundedUpToWholeMilliseconds()
    {
        var options = new SimulatedLlmOptions { Latency = LatencyDistribution.Uniform(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20)) };
        var client = new SimulatedLlmClient(1, options);
        var distinct = new HashSet<TimeSpan>();
        for (var i = 0; i < 50; i++)
        {
            var latency = client.GetLatency(Requests.Expand(PromptDimension.What, i));
            Assert.Equal(0, latency.Ticks % TimeSpan.TicksPerMillisecond);
            Assert.InRange(latency, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20));
            distinct.Add(latency);
        }

        Assert.True(distinct.Count > 5);
    }

    [Fact]
    public void ZeroLatency_CompletesSynchronously()
    {
        var providers = SimulatedProviders.Create(1, SimulatedProvidersOptions.Instant());

        var call = providers.Llm.CombineAsync(Requests.Combine("a fox", "oil painting"));

        Assert.True(call.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Cancellation_DuringLatency_EndsWithOperationCanceled()
    {
        var clock = new FakeTimeProvider();
        var scorer = new SimulatedVisionScorer(1, new SimulatedVisionScorerOptions { Latency = LatencyDistribution.Fixed(TimeSpan.FromSeconds(3)) }, clock);
        using var cts = new CancellationTokenSource();

        var call = scorer.ScoreAestheticAsync(new GeneratedImage { Data = new byte[] { 1 } }, cts.Token);
        clock.Advance(TimeSpan.FromSeconds(1));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Guard));
    }

    [Fact]
    public async Task AlreadyCanceledToken_EndsWithOperationCanceledWithoutWaiting()
    {
        var client = new SimulatedLlmClient(1, new SimulatedLlmOptions { Latency = LatencyDistribution.Zero });

        var call = client.CombineAsync(Requests.Combine("a", "b"), new CancellationToken(canceled: true));

        Assert.True(call.IsCanceled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public void SampledLatencies_FollowTheDistribution()
    {
        // Sanity of the draws: over many requests, the median and spread match the log-normal's.
        var extractor = new SimulatedExtractor("x", 3, new SimulatedExtractorOptions { Latency = LatencyDistribution.LogNormal(TimeSpan.FromMilliseconds(400), 0.5) });
        var latencies = Enumerable.Range(0, 2000).Select(i => extractor.GetLatency(Requests.Input($"input {i}")).TotalMilliseconds).Order().ToArray();

        Assert.InRange(latencies[1000], 370, 430);
        Assert.InRange(latencies[1900], 400 * Math.Exp(1.6449 * 0.5) * 0.9, 400 * Math.Exp(1.6449 * 0.5) * 1.1);
    }
}
