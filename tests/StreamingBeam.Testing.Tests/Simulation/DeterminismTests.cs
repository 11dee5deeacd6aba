using System.Collections.Concurrent;

namespace StreamingBeam.Testing.Tests.Simulation;

/// <summary>Draws are a pure function of (seed, operation, request): never of call order, threads or other calls.</summary>
public class DeterminismTests
{
    private static SimulatedProvidersOptions SpreadOptions()
    {
        var options = SimulatedProvidersOptions.Instant();
        options.ImageGenerator.Width = 16;
        options.ImageGenerator.Height = 16;
        options.Llm.FailureRate = 0.2;
        options.Llm.InvalidOutputRate = 0.1;
        options.VisionScorer.InvalidOutputRate = 0.1;
        return options;
    }

    private static async Task<string> RunPipelineAsync(SimulatedProviders p, int i)
    {
        try
        {
            var what = (await p.Llm.ExpandAsync(Requests.Expand(PromptDimension.What, i))).Text;
            var how = (await p.Llm.ExpandAsync(Requests.Expand(PromptDimension.How, i))).Text;
            var combined = (await p.Llm.CombineAsync(Requests.Combine(what, how))).Text;
            var image = await p.ImageGenerator.GenerateAsync(combined);
            var alignment = await p.VisionScorer.ScoreAlignmentAsync(image, Requests.UserPrompt);
            var aesthetic = await p.VisionScorer.ScoreAestheticAsync(image);
            return $"{what}|{how}|{combined}|{Convert.ToBase64String(image.Data.Span)}|{alignment.Score:R}|{aesthetic.Score:R}|{alignment.Analysis}";
        }
        catch (SimulatedFaultException ex)
        {
            return "fault:" + ex.Message;
        }
    }

    [Fact]
    public async Task Pipelines_InOrderVersusShuffledAndConcurrent_GiveIdenticalResults()
    {
        const int count = 40;
        var sequential = new string[count];
        var inOrder = SimulatedProviders.Create(99, SpreadOptions());
        for (var i = 0; i < count; i++)
        {
            sequential[i] = await RunPipelineAsync(inOrder, i);
        }

        var concurrent = new ConcurrentDictionary<int, string>();
        var shuffled = Enumerable.Range(0, count).Reverse().Where(i => i % 2 == 0).Concat(Enumerable.Range(0, count).Where(i => i % 2 == 1)).ToArray();
        var fresh = SimulatedProviders.Create(99, SpreadOptions());
        await Parallel.ForEachAsync(shuffled, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            // Every call runs twice concurrently, to show repeats and interleavings do not matter either.
            var results = await Task.WhenAll(Task.Run(() => RunPipelineAsync(fresh, i)), Task.Run(() => RunPipelineAsync(fresh, i)));
            Assert.Equal(results[0], results[1]);
            concurrent[i] = results[0];
        });

        for (var i = 0; i < count; i++)
        {
            Assert.Equal(sequential[i], concurrent[i]);
        }

        Assert.Contains(sequential, s => s.StartsWith("fault:", StringComparison.Ordinal));
        Assert.Contains(sequential, s => !s.StartsWith("fault:", StringComparison.Ordinal));
    }

    [Fact]
    public void Latencies_SameSeed_Equal_DifferentSeed_Differ()
    {
        var options = new SimulatedLlmOptions { Latency = LatencyDistribution.LogNormal(TimeSpan.FromMilliseconds(500), 0.6) };
        var a = new SimulatedLlmClient(1, options);
        var b = new SimulatedLlmClient(1, options);
        var c = new SimulatedLlmClient(2, options);

        var requests = Enumerable.Range(0, 20).Select(i => Requests.Expand(PromptDimension.What, i)).ToList();

        Assert.Equal(requests.Select(a.GetLatency), requests.Select(b.GetLatency));
        Assert.NotEqual(requests.Select(a.GetLatency), requests.Select(c.GetLatency));
        Assert.True(requests.Select(a.GetLatency).Distinct().Count() > 15, "Latencies of different requests should differ.");
    }

    [Fact]
    public void Latencies_OfDifferentOperations_AreDrawnIndependently()
    {
        var options = new SimulatedVisionScorerOptions { Latency = LatencyDistribution.Uniform(TimeSpan.Zero, TimeSpan.FromSeconds(10)) };
        var scorer = new SimulatedVisionScorer(1, options);
        var image = new GeneratedImage { Data = new byte[] { 1, 2, 3 } };

        Assert.NotEqual(scorer.GetAestheticLatency(image), scorer.GetAlignmentLatency(image, string.Empty));
    }

    [Fact]
    public void LatencyOverrides_ApplyToTheirOperationOnly()
    {
        var options = new SimulatedLlmOptions { Latency = LatencyDistribution.Fixed(TimeSpan.FromSeconds(1)) };
        options.LatencyOverrides[SimulatedOperation.Critique] = LatencyDistribution.Fixed(TimeSpan.FromSeconds(5));
        var client = new SimulatedLlmClient(1, options);

        Assert.Equal(TimeSpan.FromSeconds(5), client.GetLatency(Requests.Critique(PromptDimension.What, "w", "h")));
        Assert.Equal(TimeSpan.FromSeconds(1), client.GetLatency(Requests.Combine("w", "h")));
    }

    [Fact]
    public void Options_ChangedAfterConstruction_DoNotAffectTheProvider()
    {
        var options = new SimulatedLlmOptions { Latency = LatencyDistribution.Fixed(TimeSpan.FromSeconds(1)) };
        var client = new SimulatedLlmClient(1, options);

        options.Latency = LatencyDistribution.Fixed(TimeSpan.FromSeconds(9));

        Assert.Equal(TimeSpan.FromSeconds(1), client.GetLatency(Requests.Combine("w", "h")));
    }
}
