using StreamingBeam.Testing;
using Xunit.Abstractions;

namespace StreamingBeam.Tests.Beam;

/// <summary>The property that makes promotion safe: with deterministic providers, a search ends the same with
/// <see cref="BeamSearchOptions.PromoteCertainSurvivors"/> on and off — the same result, the same survivors after every
/// ranking, the same prompts for every candidate — whatever the latencies, widths and failures.</summary>
/// <remarks>Latencies are real but tiny and widely spread (log-normal, median 1 ms, sigma 1.25), so every run interleaves differently;
/// outputs and faults depend only on the seed and the request, never on timing.</remarks>
public sealed class PromotionEquivalenceTests(ITestOutputHelper output)
{
    public static TheoryData<int, int, int, string> Cases()
    {
        var data = new TheoryData<int, int, int, string>();
        var shapes = new (int N, int M)[] { (4, 2), (6, 3), (7, 3), (9, 3), (5, 2), (8, 1), (6, 6) };
        var variants = new[] { "plain", "faults", "ties", "children-only", "stop-rules", "how-first" };
        var seed = 1;
        foreach (var (n, m) in shapes)
        {
            foreach (var variant in variants)
            {
                data.Add(seed++, n, m, variant);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Outcome_IsIdentical_WithPromotionOnAndOff(int seed, int width, int keep, string variant)
    {
        var strict = await RunAsync(seed, width, keep, variant, promote: false);
        var promoted = await RunAsync(seed, width, keep, variant, promote: true);

        Assert.Equal(strict.Summary, promoted.Summary);
        Assert.Equal(strict.Survivors, promoted.Survivors);
        Assert.Equal(strict.Candidates, promoted.Candidates);
        Assert.Equal(strict.Failures, promoted.Failures);
        Assert.False(strict.EarlyEvents, "With promotion off, an event of iteration t + 1 came before iteration t was ranked.");
    }

    [Fact]
    public async Task Promotion_ActuallyStartsWorkEarly_AcrossTheCases()
    {
        // Guards the property test against passing vacuously: across these seeds, some promoted runs must deliver
        // events of iteration t + 1 before the ranking of iteration t.
        var early = 0;
        for (var seed = 100; seed < 120; seed++)
        {
            if ((await RunAsync(seed, 9, 3, "plain", promote: true)).EarlyEvents)
            {
                early++;
            }
        }

        output.WriteLine($"{early} of 20 promoted runs delivered events of iteration t + 1 before ranking iteration t.");
        Assert.True(early > 0, "No promoted run started any work of the next iteration before the ranking.");
    }

    private static async Task<Outcome> RunAsync(int seed, int width, int keep, string variant, bool promote)
    {
        var providerOptions = new SimulatedProvidersOptions();
        var latency = LatencyDistribution.LogNormal(TimeSpan.FromMilliseconds(1), 1.25);
        providerOptions.Llm.Latency = latency;
        providerOptions.ImageGenerator.Latency = latency;
        providerOptions.ImageGenerator.RenderImages = false;
        providerOptions.VisionScorer.Latency = latency;
        if (variant == "faults")
        {
            providerOptions.Llm.FailureRate = 0.08;
            providerOptions.ImageGenerator.FailureRate = 0.1;
            providerOptions.VisionScorer.InvalidOutputRate = 0.05;
        }

        var providers = SimulatedProviders.Create(seed, providerOptions);
        IVisionScorer scorer = variant == "ties" ? new CoarseScorer(providers.VisionScorer) : providers.VisionScorer;
        var engine = new BeamSearchEngine(providers.Llm, providers.ImageGenerator, scorer);
        var options = new BeamSearchOptions
        {
            BeamWidth = width,
            KeepTop = keep,
            MaxIterations = 4,
            MaxFailureRatio = 1,
            PromoteCertainSurvivors = promote,
            RankingPool = variant == "children-only" ? RankingPool.ChildrenOnly : RankingPool.ChildrenAndParents,
            DimensionSchedule = variant == "how-first" ? DimensionSchedule.HowFirst : DimensionSchedule.WhatFirst,
        };
        if (variant == "stop-rules")
        {
            options.MaxIterations = 6;
            options.ConvergenceEpsilon = 0.01;
            options.ConvergencePatience = 2;
            options.MaxImages = width * 5;
        }

        var survivors = new List<string>();
        var candidates = new List<string>();
        var failures = new List<string>();
        var ranked = -1;
        var early = false;
        var summary = string.Empty;
        try
        {
            await foreach (var e in engine.SearchStreamingAsync("a lighthouse at dusk", options))
            {
                early |= e is not IterationCompletedEvent and not SearchCompletedEvent && e.Iteration > ranked + 1;
                switch (e)
                {
                    case IterationCompletedEvent completed:
                        Assert.Equal(ranked + 1, completed.Iteration);
                        ranked = completed.Iteration;
                        survivors.Add($"{completed.Iteration}: {string.Join(' ', completed.Survivors.Select(c => c.Id))} best {completed.BestSoFar?.Id} ({completed.Scored}/{completed.Failed})");
                        break;
                    case CandidateScoredEvent scored:
                        var c = scored.Candidate;
                        candidates.Add($"{c.Id} <- {c.ParentId} | {c.What} | {c.How} | {c.CombinedPrompt} | {c.Total:R} | {c.Critique}");
                        break;
                    case CandidateFailedEvent failed:
                        failures.Add($"{failed.CandidateId} <- {failed.ParentId} at {failed.Stage}");
                        break;
                    case SearchCompletedEvent done:
                        var r = done.Result;
                        summary = $"{r.Best.Id} {r.Best.CombinedPrompt} {r.StopReason} {r.Iterations} {r.Usage} {r.CandidatesScored}/{r.CandidatesFailed}";
                        break;
                }
            }
        }
        catch (BeamSearchException ex)
        {
            summary = $"threw: {ex.Message}";
        }

        return new Outcome(summary, survivors, candidates.Order(StringComparer.Ordinal).ToList(), failures.Order(StringComparer.Ordinal).ToList(), early);
    }

    private sealed record Outcome(string Summary, List<string> Survivors, List<string> Candidates, List<string> Failures, bool EarlyEvents);

    /// <summary>Rounds scores to tenths, so that ties are common and the tie-breaking rules decide survivors.</summary>
    private sealed class CoarseScorer(IVisionScorer inner) : IVisionScorer
    {
        public async Task<VisionScore> ScoreAlignmentAsync(GeneratedImage image, string prompt, CancellationToken cancellationToken = default) =>
            Round(await inner.ScoreAlignmentAsync(image, prompt, cancellationToken));

        public async Task<VisionScore> ScoreAestheticAsync(GeneratedImage image, CancellationToken cancellationToken = default) =>
            Round(await inner.ScoreAestheticAsync(image, cancellationToken));

        private static VisionScore Round(VisionScore score) =>
            score is null || !(score.Score is >= 0 and <= 1) ? score! : new VisionScore(Math.Round(score.Score, 1), score.Analysis, score.Usage);
    }
}
