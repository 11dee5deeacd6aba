using StreamingBeam.Benchmarks.Beam;
using StreamingBeam.Testing;

namespace StreamingBeam.Benchmarks.Tests;

public class BeamDrawsTests
{
    private const int Width = 9;
    private const int Iterations = 3;
    private const double Sigma = 0.75;

    private static readonly SimulatedOperation[] BeamOperations =
    [
        SimulatedOperation.Expand, SimulatedOperation.Combine, SimulatedOperation.Critique, SimulatedOperation.Refine,
        SimulatedOperation.GenerateImage, SimulatedOperation.ScoreAlignment, SimulatedOperation.ScoreAesthetic,
    ];

    [Fact]
    public async Task ComputeAsync_FixedLatencies_BoundIsTheSumOfEachIterationsStages()
    {
        var latency = new SimulatedProvidersOptions();
        static LatencyDistribution Ms(int ms) => LatencyDistribution.Fixed(TimeSpan.FromMilliseconds(ms));
        latency.Llm.Latency = Ms(1);
        latency.Llm.LatencyOverrides[SimulatedOperation.Expand] = Ms(3);
        latency.Llm.LatencyOverrides[SimulatedOperation.Combine] = Ms(5);
        latency.Llm.LatencyOverrides[SimulatedOperation.Critique] = Ms(7);
        latency.Llm.LatencyOverrides[SimulatedOperation.Refine] = Ms(11);
        latency.ImageGenerator.Latency = Ms(13);
        latency.ImageGenerator.RenderImages = false;
        latency.VisionScorer.LatencyOverrides[SimulatedOperation.ScoreAlignment] = Ms(17);
        latency.VisionScorer.LatencyOverrides[SimulatedOperation.ScoreAesthetic] = Ms(19);

        var draws = await BeamDraws.ComputeAsync(
            BeamScenario.Prompt, BeamScenario.SearchOptions(6, Iterations), BeamScenario.Seed, BeamScenario.InstantOptions(), latency);

        // Iteration 0: expand 3 + combine 5 + image 13 + max(17, 19); later ones: critique 7 + refine 11 + 5 + 13 + 19.
        var expected = TimeSpan.FromMilliseconds((3 + 5 + 13 + 19) + (2 * (7 + 11 + 5 + 13 + 19)));
        Assert.Equal(expected, draws.Bound);
        Assert.Equal(expected, draws.SeedPatternIdeal);
        Assert.Equal(expected, draws.BatchedIdeal);

        // Every lane ends at the same moment, so no survivor is certain before the ranking.
        Assert.Equal(expected, draws.PromotedBound);
    }

    [Fact]
    public async Task ComputeAsync_LogNormalLatencies_HasTheLatencyOfEveryCallTheEngineMakes()
    {
        var (recorder, options) = Recorder();
        var engine = new BeamSearchEngine(recorder, recorder, recorder);
        await engine.SearchAsync(BeamScenario.Prompt, options);

        var draws = await BeamDraws.ComputeAsync(
            BeamScenario.Prompt, options, BeamScenario.Seed, BeamScenario.InstantOptions(), BeamScenario.LatencyOptions(Sigma));

        AssertSameCalls(recorder, draws);
    }

    [Fact]
    public async Task Baselines_SameSearch_MakeExactlyTheEnginesCallsAndFindItsBest()
    {
        var (engineCalls, options) = Recorder();
        var engineBest = (await new BeamSearchEngine(engineCalls, engineCalls, engineCalls).SearchAsync(BeamScenario.Prompt, options)).Best;
        var (batchedCalls, _) = Recorder();
        var batchedBest = await new BatchedBeamSearch(batchedCalls, batchedCalls, batchedCalls).SearchAsync(BeamScenario.Prompt, options);
        var (seedCalls, _) = Recorder();
        var seedBest = await new SeedPatternBeamSearch(seedCalls, seedCalls, seedCalls).SearchAsync(BeamScenario.Prompt, options);

        foreach (var operation in BeamOperations)
        {
            Assert.NotEmpty(engineCalls.Latencies(operation));
            Assert.Equal(engineCalls.Latencies(operation), batchedCalls.Latencies(operation));
            Assert.Equal(engineCalls.Latencies(operation), seedCalls.Latencies(operation));
        }

        Assert.True(BestCandidateCheck.SamePrompts(batchedBest, engineBest));
        Assert.True(BestCandidateCheck.SamePrompts(seedBest, engineBest));
    }

    [Fact]
    public async Task ComputeAsync_TwoSpreads_WiderSpreadGivesALongerBoundAndTheSameBest()
    {
        var options = BeamScenario.SearchOptions(Width, Iterations);
        var narrow = await BeamDraws.ComputeAsync(
            BeamScenario.Prompt, options, BeamScenario.Seed, BeamScenario.InstantOptions(), BeamScenario.LatencyOptions(0.0));
        var wide = await BeamDraws.ComputeAsync(
            BeamScenario.Prompt, options, BeamScenario.Seed, BeamScenario.InstantOptions(), BeamScenario.LatencyOptions(Sigma));

        // Sigma 0: every call takes its median, so every lane's chain is the same and the baselines lose nothing.
        Assert.Equal(TimeSpan.FromMilliseconds((20 + 20 + 100 + 30) + (2 * (20 + 20 + 20 + 100 + 30))), narrow.Bound);
        Assert.Equal(narrow.Bound, narrow.BatchedIdeal);
        Assert.True(wide.Bound > narrow.Bound);
        Assert.True(wide.BatchedIdeal > wide.Bound);
        Assert.True(BestCandidateCheck.SamePrompts(narrow.Best, wide.Best));
    }

    private static (RecordingProviders Recorder, BeamSearchOptions Options) Recorder() =>
        (new RecordingProviders(
            SimulatedProviders.Create(BeamScenario.Seed, BeamScenario.InstantOptions()),
            SimulatedProviders.Create(BeamScenario.Seed, BeamScenario.LatencyOptions(Sigma))),
         BeamScenario.SearchOptions(Width, Iterations));

    private static void AssertSameCalls(RecordingProviders recorder, BeamDraws draws)
    {
        var lanes = draws.Iterations.SelectMany(l => l).ToArray();
        var children = lanes.Where(l => l.Iteration > 0).ToArray();
        Assert.Equal(
            recorder.Latencies(SimulatedOperation.Expand),
            lanes.Where(l => l.Iteration == 0).SelectMany(l => new[] { l.ExpandWhat, l.ExpandHow }).Order());
        Assert.Equal(
            recorder.Latencies(SimulatedOperation.Critique),
            children.GroupBy(l => (l.Iteration, l.ParentId)).Select(g => g.First().Critique).Order());
        Assert.Equal(recorder.Latencies(SimulatedOperation.Refine), children.Select(l => l.Refine).Order());
        Assert.Equal(recorder.Latencies(SimulatedOperation.Combine), lanes.Select(l => l.Combine).Order());
        Assert.Equal(recorder.Latencies(SimulatedOperation.GenerateImage), lanes.Select(l => l.Image).Order());
        Assert.Equal(recorder.Latencies(SimulatedOperation.ScoreAlignment), lanes.Select(l => l.Alignment).Order());
        Assert.Equal(recorder.Latencies(SimulatedOperation.ScoreAesthetic), lanes.Select(l => l.Aesthetic).Order());
    }
}
