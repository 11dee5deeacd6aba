using Microsoft.Extensions.Time.Testing;

namespace StreamingBeam.Testing.Tests.Simulation;

public class FaultInjectionTests
{
    private static async Task<(int Failed, int Invalid, int Succeeded)> CountAsync(SimulatedLlmClient client, int calls)
    {
        var (failed, invalid, succeeded) = (0, 0, 0);
        for (var i = 0; i < calls; i++)
        {
            try
            {
                var response = await client.ExpandAsync(Requests.Expand(PromptDimension.What, i));
                if (string.IsNullOrWhiteSpace(response.Text))
                {
                    invalid++;
                }
                else
                {
                    succeeded++;
                }
            }
            catch (SimulatedFaultException)
            {
                failed++;
            }
        }

        return (failed, invalid, succeeded);
    }

    [Fact]
    public async Task Rates_OverManyCalls_AreRoughlyHonouredAndRepeatable()
    {
        var options = new SimulatedLlmOptions { Latency = LatencyDistribution.Zero, FailureRate = 0.1, InvalidOutputRate = 0.2 };

        var first = await CountAsync(new SimulatedLlmClient(8, options), 2000);
        var second = await CountAsync(new SimulatedLlmClient(8, options), 2000);

        Assert.Equal(first, second);
        Assert.InRange(first.Failed, 150, 250);
        Assert.InRange(first.Invalid, 330, 470);
        Assert.Equal(2000, first.Failed + first.Invalid + first.Succeeded);
    }

    [Fact]
    public async Task Failure_ThrowsSimulatedFaultExceptionNamingProviderAndOperation()
    {
        var client = new SimulatedLlmClient(1, new SimulatedLlmOptions { Latency = LatencyDistribution.Zero, FailureRate = 1 });

        var ex = await Assert.ThrowsAsync<SimulatedFaultException>(() => client.CombineAsync(Requests.Combine("a", "b")));

        Assert.Equal(SimulatedOperation.Combine, ex.SimulatedOperation);
        Assert.Equal("SimulatedLlmClient", ex.Provider);
        Assert.Contains("SimulatedLlmClient failed the Combine call", ex.Message, StringComparison.Ordinal);
        Assert.Equal("SimulatedLlmClient.CombineAsync", ex.Operation);
    }

    [Fact]
    public async Task Failure_NamesTheMethodCalled_AsOperation()
    {
        var generator = new SimulatedImageGenerator(1, new SimulatedImageGeneratorOptions { Latency = LatencyDistribution.Zero, FailureRate = 1 });

        var ex = await Assert.ThrowsAsync<SimulatedFaultException>(() => generator.GenerateAsync("a fox"));

        Assert.Equal("SimulatedImageGenerator.GenerateAsync", ex.Operation);
    }

    [Fact]
    public async Task Failure_WithLatency_IsReportedAfterTheLatency()
    {
        var clock = new FakeTimeProvider();
        var generator = new SimulatedImageGenerator(1, new SimulatedImageGeneratorOptions { Latency = LatencyDistribution.Fixed(TimeSpan.FromSeconds(2)), FailureRate = 1 }, clock);

        var call = generator.GenerateAsync("a fox");
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(call.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<SimulatedFaultException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Hang_WaitsPastAnyLatencyUntilCanceled()
    {
        var clock = new FakeTimeProvider();
        var scorer = new SimulatedVisionScorer(1, new SimulatedVisionScorerOptions { Latency = LatencyDistribution.Fixed(TimeSpan.FromSeconds(1)), HangRate = 1 }, clock);
        using var cts = new CancellationTokenSource();

        var call = scorer.ScoreAlignmentAsync(new GeneratedImage { Data = new byte[] { 1 } }, "a fox", cts.Token);
        clock.Advance(TimeSpan.FromDays(2));
        Assert.False(call.IsCompleted, "A hanging call completed without cancellation.");

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task InvalidOutput_Scorer_ReturnsNaNOrOutOfRangeScores()
    {
        var scorer = new SimulatedVisionScorer(1, new SimulatedVisionScorerOptions { Latency = LatencyDistribution.Zero, InvalidOutputRate = 1 });

        var scores = new List<double>();
        for (var i = 0; i < 40; i++)
        {
            scores.Add((await scorer.ScoreAestheticAsync(new GeneratedImage { Data = new[] { (byte)i } })).Score);
        }

        Assert.All(scores, s => Assert.False(s >= 0 && s <= 1, $"{s} is a valid score."));
        Assert.Contains(scores, double.IsNaN);
        Assert.Contains(scores, s => s > 1 && !double.IsInfinity(s));
    }

    [Fact]
    public async Task InvalidOutput_Generator_ReturnsNullOrEmptyImages()
    {
        var generator = new SimulatedImageGenerator(1, new SimulatedImageGeneratorOptions { Latency = LatencyDistribution.Zero, InvalidOutputRate = 1 });

        var images = new List<GeneratedImage?>();
        for (var i = 0; i < 20; i++)
        {
            images.Add(await generator.GenerateAsync($"prompt {i}"));
        }

        Assert.All(images, image => Assert.False(image?.HasContent ?? false));
        Assert.Contains(images, image => image is null);
        Assert.Contains(images, image => image is not null);
    }

    [Fact]
    public async Task InvalidOutput_Extractor_ReturnsNull()
    {
        var extractor = new SimulatedExtractor("x", 1, new SimulatedExtractorOptions { Latency = LatencyDistribution.Zero, InvalidOutputRate = 1 });

        var output = await extractor.ExtractAsync(new InputOnlyContext(Requests.Input("a")));

        Assert.Null(output);
    }

    [Fact]
    public async Task RedrawOnRepeat_Off_RetryOfAFailedCallFailsAgain()
    {
        var client = new SimulatedLlmClient(4, new SimulatedLlmOptions { Latency = LatencyDistribution.Zero, FailureRate = 0.5 });
        var failing = await FirstFailingRequestAsync(client);

        for (var attempt = 0; attempt < 5; attempt++)
        {
            await Assert.ThrowsAsync<SimulatedFaultException>(() => client.CombineAsync(failing));
        }
    }

    [Fact]
    public async Task RedrawOnRepeat_On_RetryOfAFailedCallEventuallySucceedsWithTheSameOutput()
    {
        var options = new SimulatedLlmOptions { Latency = LatencyDistribution.Zero, FailureRate = 0.5, RedrawOnRepeat = true };
        var client = new SimulatedLlmClient(4, options);
        var failing = await FirstFailingRequestAsync(client);

        LlmResponse? response = null;
        for (var attempt = 0; attempt < 30 && response is null; attempt++)
        {
            try
            {
                response = await client.CombineAsync(failing);
            }
            catch (SimulatedFaultException)
            {
            }
        }

        Assert.NotNull(response);
        var reference = new SimulatedLlmClient(4, new SimulatedLlmOptions { Latency = LatencyDistribution.Zero });
        Assert.Equal((await reference.CombineAsync(failing)).Text, response!.Text);
    }

    private static async Task<CombineRequest> FirstFailingRequestAsync(SimulatedLlmClient client)
    {
        for (var i = 0; ; i++)
        {
            var request = Requests.Combine($"what {i}", "how");
            try
            {
                await client.CombineAsync(request);
            }
            catch (SimulatedFaultException)
            {
                return request;
            }
        }
    }
}
