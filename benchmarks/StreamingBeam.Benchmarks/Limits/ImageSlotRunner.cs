using StreamingBeam.Benchmarks.Beam;
using StreamingBeam.Testing;

namespace StreamingBeam.Benchmarks.Limits;

/// <summary>Runs one search with a plain concurrency limit on images (no quota) on fresh providers and a fresh engine, and
/// records where the slots' time went.</summary>
internal static class ImageSlotRunner
{
    /// <summary>The limits: 4 images at once at N 27 (and above), 3 at N 9.</summary>
    public static int SlotsFor(int beamWidth) => beamWidth >= 27 ? 4 : 3;

    public static async Task<ImageSlotRun> RunAsync(int beamWidth, bool promote, double sigma = 0.75, double scale = 1.0, int iterations = BeamScenario.Iterations)
    {
        var slots = SlotsFor(beamWidth);
        var log = new ImageCallLog();
        var providers = SimulatedProviders.Create(BeamScenario.Seed, BeamScenario.LatencyOptions(sigma, scale));
        var engine = new BeamSearchEngine(
            new ImageReadinessLlm(providers.Llm, log),
            new ImageAttemptRecorder(providers.ImageGenerator, log),
            providers.VisionScorer,
            new BeamEngineOptions { MaxConcurrentImageGenerations = slots });
        var options = BeamScenario.SearchOptions(beamWidth, iterations);
        options.PromoteCertainSurvivors = promote;
        var result = await engine.SearchAsync(BeamScenario.Prompt, options);
        var wall = log.Now;
        var calls = log.Calls().Calls;
        var usage = SlotUsage.Of(
            calls.Where(c => c.Accepted is not null && c.Ended is not null).Select(c => (c.Ready, c.Accepted!.Value, c.Ended!.Value)), wall, slots);
        var draws = BeamDraws.For(beamWidth, sigma, scale, iterations);
        return new ImageSlotRun(beamWidth, promote, wall, usage, BestCandidateCheck.SamePrompts(result.Best, draws.Best));
    }
}

/// <summary>One run under a concurrency limit.</summary>
/// <param name="BeamWidth">N.</param>
/// <param name="Promote">Whether certain survivors were promoted.</param>
/// <param name="Wall">The run's wall time.</param>
/// <param name="Usage">Where the slots' time went.</param>
/// <param name="SameBest">Whether the best candidate is the one the draws predict.</param>
internal sealed record ImageSlotRun(int BeamWidth, bool Promote, TimeSpan Wall, SlotUsage Usage, bool SameBest);
