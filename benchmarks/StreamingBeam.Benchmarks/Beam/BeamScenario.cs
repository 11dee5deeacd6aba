using StreamingBeam.Testing;

namespace StreamingBeam.Benchmarks.Beam;

/// <summary>The beam-search workload every strategy runs: one prompt, one seed, N candidates, M = N / 3, 3 iterations,
/// and simulated providers whose latencies are log-normal per stage.</summary>
internal static class BeamScenario
{
    public const string Prompt = "a lighthouse on a rocky coast at dawn";

    public const long Seed = 20_240_601;

    public const int Iterations = 3;

    // Medians per stage, in milliseconds.
    public const double ExpandMs = 20;
    public const double CombineMs = 20;
    public const double CritiqueMs = 20;
    public const double RefineMs = 20;
    public const double ImageMs = 100;
    public const double AlignmentMs = 30;
    public const double AestheticMs = 30;

    public static BeamSearchOptions SearchOptions(int beamWidth, int iterations = Iterations) => new()
    {
        BeamWidth = beamWidth,
        KeepTop = Math.Max(1, beamWidth / 3),
        MaxIterations = iterations,
    };

    /// <summary>Providers with seeded log-normal latencies: the medians above times <paramref name="scale"/>, spread
    /// <paramref name="sigma"/>. Images are not rendered: PNG encoding is provider CPU work, not orchestration, and
    /// would blur the comparison with the critical path on a two-core machine.</summary>
    public static SimulatedProvidersOptions LatencyOptions(double sigma, double scale = 1.0)
    {
        LatencyDistribution LogNormal(double medianMs) =>
            LatencyDistribution.LogNormal(TimeSpan.FromMilliseconds(medianMs * scale), sigma);

        var options = new SimulatedProvidersOptions();
        options.Llm.Latency = LogNormal(ExpandMs);
        options.Llm.LatencyOverrides[SimulatedOperation.Expand] = LogNormal(ExpandMs);
        options.Llm.LatencyOverrides[SimulatedOperation.Combine] = LogNormal(CombineMs);
        options.Llm.LatencyOverrides[SimulatedOperation.Critique] = LogNormal(CritiqueMs);
        options.Llm.LatencyOverrides[SimulatedOperation.Refine] = LogNormal(RefineMs);
        options.ImageGenerator.Latency = LogNormal(ImageMs);
        options.ImageGenerator.RenderImages = false;
        options.VisionScorer.Latency = LogNormal(AlignmentMs);
        options.VisionScorer.LatencyOverrides[SimulatedOperation.ScoreAlignment] = LogNormal(AlignmentMs);
        options.VisionScorer.LatencyOverrides[SimulatedOperation.ScoreAesthetic] = LogNormal(AestheticMs);
        return options;
    }

    /// <summary>The same providers without latency: every call completes synchronously with the same output, because
    /// outputs depend on the seed and the request only.</summary>
    public static SimulatedProvidersOptions InstantOptions()
    {
        var options = SimulatedProvidersOptions.Instant();
        options.ImageGenerator.RenderImages = false;
        return options;
    }
}
