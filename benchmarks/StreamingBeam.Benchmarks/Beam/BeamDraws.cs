using System.Collections.Concurrent;
using StreamingBeam.Beam.Internal;
using StreamingBeam.Testing;

namespace StreamingBeam.Benchmarks.Beam;

/// <summary>Every latency a beam search waits on, drawn exactly as the simulated providers draw them, and what they imply:
/// the critical-path bound and the ideal wall time of each baseline.</summary>
/// <remarks>
/// The candidates are learned by running the engine itself on zero-latency providers with the same seed: outputs depend on
/// the seed and the request only, never on latency, so the requests are the ones a timed run makes. Each request's latency
/// then comes from the timed providers' <c>GetLatency</c>, which returns exactly what a call with that request waits.
/// </remarks>
internal sealed class BeamDraws
{
    private static readonly ConcurrentDictionary<(int BeamWidth, double Sigma, double Scale, int Iterations), Lazy<BeamDraws>> Cache = new();

    private BeamDraws(IReadOnlyList<LaneDraw[]> iterations, BeamCandidate best, BeamSearchOptions options, IReadOnlyDictionary<string, BeamCandidate> candidates)
    {
        Iterations = iterations;
        Best = best;
        Options = options;
        Candidates = candidates;
        Bound = Sum(lanes => lanes.Max(l => l.Chain));
        PromotedBound = PromotedSchedule.Bound(options, iterations, candidates);
        SeedPatternIdeal = Sum(lanes => lanes.Max(l => l.FirstStep) + lanes.Max(l => l.AfterFirstStep));
        BatchedIdeal = Sum(lanes =>
            (lanes[0].Iteration == 0 ? lanes.Max(l => l.Prompt) : lanes.Max(l => l.Critique) + lanes.Max(l => l.Refine))
            + lanes.Max(l => l.Combine) + lanes.Max(l => l.Image) + lanes.Max(l => l.Scores));
    }

    /// <summary>Gets the lanes of each iteration, in lineage order (a parent's children are consecutive).</summary>
    public IReadOnlyList<LaneDraw[]> Iterations { get; }

    /// <summary>Gets the search's options.</summary>
    public BeamSearchOptions Options { get; }

    /// <summary>Gets every candidate of the search by id (what the ranking sees).</summary>
    public IReadOnlyDictionary<string, BeamCandidate> Candidates { get; }

    /// <summary>Gets the best candidate of the search (the same in every strategy, since all get the same draws).</summary>
    public BeamCandidate Best { get; }

    /// <summary>Gets the critical-path bound of the strict barrier: per iteration, the longest lane chain; iterations add up.</summary>
    public TimeSpan Bound { get; }

    /// <summary>Gets the critical-path bound of the engine with certain-survivor promotion (see <see cref="PromotedSchedule"/>):
    /// at most <see cref="Bound"/>, since promotion only ever starts work earlier.</summary>
    public TimeSpan PromotedBound { get; }

    /// <summary>Gets the critical path as the timers it waits on, in order: per iteration, the stages of its longest lane
    /// (both expansions and both scores each count as one wait, of the longer of the two).</summary>
    public IReadOnlyList<TimeSpan> CriticalPathSteps =>
        Iterations.SelectMany(lanes =>
        {
            var lane = lanes.MaxBy(l => l.Chain);
            return lane.Iteration == 0
                ? new[] { lane.Prompt, lane.Combine, lane.Image, lane.Scores }
                : new[] { lane.Critique, lane.Refine, lane.Combine, lane.Image, lane.Scores };
        }).ToArray();

    /// <summary>Gets the seed pattern's ideal wall time: per iteration, the slowest first step, then the slowest rest of a lane.</summary>
    public TimeSpan SeedPatternIdeal { get; }

    /// <summary>Gets the batched baseline's ideal wall time: per iteration, the sum over stages of each stage's slowest call.</summary>
    public TimeSpan BatchedIdeal { get; }

    /// <summary>Gets (and caches) the draws of the standard scenario.</summary>
    public static BeamDraws For(int beamWidth, double sigma, double scale = 1.0, int iterations = BeamScenario.Iterations) =>
        Cache.GetOrAdd((beamWidth, sigma, scale, iterations), key => new Lazy<BeamDraws>(() =>
            ComputeAsync(
                BeamScenario.Prompt,
                BeamScenario.SearchOptions(key.BeamWidth, key.Iterations),
                BeamScenario.Seed,
                BeamScenario.InstantOptions(),
                BeamScenario.LatencyOptions(key.Sigma, key.Scale)).GetAwaiter().GetResult())).Value;

    /// <summary>Computes the draws of one search.</summary>
    /// <param name="prompt">The user's prompt.</param>
    /// <param name="options">The search options.</param>
    /// <param name="seed">The providers' seed.</param>
    /// <param name="instantOptions">Zero-latency provider options that otherwise match <paramref name="latencyOptions"/>.</param>
    /// <param name="latencyOptions">The options of the timed providers whose latencies are wanted.</param>
    public static async Task<BeamDraws> ComputeAsync(
        string prompt, BeamSearchOptions options, long seed, SimulatedProvidersOptions instantOptions, SimulatedProvidersOptions latencyOptions)
    {
        var instant = SimulatedProviders.Create(seed, instantOptions);
        var engine = new BeamSearchEngine(instant.Llm, instant.ImageGenerator, instant.VisionScorer);
        var candidates = new List<BeamCandidate>();
        BeamCandidate? best = null;
        await foreach (var e in engine.SearchStreamingAsync(prompt, options))
        {
            switch (e)
            {
                case CandidateScoredEvent scored:
                    candidates.Add(scored.Candidate);
                    break;
                case CandidateFailedEvent failed:
                    throw new InvalidOperationException($"Candidate {failed.CandidateId} failed at {failed.Stage}; the draws assume no faults.", failed.Exception);
                case SearchCompletedEvent completed:
                    best = completed.Result.Best;
                    break;
            }
        }

        var timed = SimulatedProviders.Create(seed, latencyOptions);
        var byId = candidates.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var iterations = new List<LaneDraw[]>();
        foreach (var group in candidates.GroupBy(c => c.Iteration).OrderBy(g => g.Key))
        {
            var lanes = group.Select(c => c.Id).Order(Comparer<string>.Create(BeamRanking.CompareLineage)).Select(id => byId[id]).ToArray();
            var draws = new LaneDraw[lanes.Length];
            for (var i = 0; i < lanes.Length; i++)
            {
                draws[i] = Draw(timed, prompt, options, lanes[i], byId);
            }

            iterations.Add(draws);
        }

        return new BeamDraws(iterations, best ?? throw new InvalidOperationException("The search completed without a best candidate."), options, byId);
    }

    private static LaneDraw Draw(
        SimulatedProviders timed,
        string prompt,
        BeamSearchOptions options,
        BeamCandidate candidate,
        Dictionary<string, BeamCandidate> byId)
    {
        TimeSpan expandWhat = default, expandHow = default, critique = default, refine = default;
        if (candidate.Iteration == 0)
        {
            expandWhat = timed.Llm.GetLatency(BeamRequests.Expand(prompt, options, PromptDimension.What, candidate.VariantIndex));
            expandHow = timed.Llm.GetLatency(BeamRequests.Expand(prompt, options, PromptDimension.How, candidate.VariantIndex));
        }
        else
        {
            var parent = byId[candidate.ParentId!];
            var dimension = candidate.RefinedDimension!.Value;
            critique = timed.Llm.GetLatency(BeamRequests.Critique(prompt, candidate.Iteration, dimension, parent));
            refine = timed.Llm.GetLatency(BeamRequests.Refine(prompt, options, candidate.Iteration, dimension, parent, candidate.Critique!, candidate.VariantIndex));
        }

        return new LaneDraw(
            candidate.Iteration,
            candidate.Id,
            candidate.ParentId,
            candidate.VariantIndex,
            expandWhat,
            expandHow,
            critique,
            refine,
            timed.Llm.GetLatency(BeamRequests.Combine(prompt, candidate.What, candidate.How)),
            timed.ImageGenerator.GetLatency(candidate.CombinedPrompt),
            timed.VisionScorer.GetAlignmentLatency(candidate.Image, BeamRequests.AlignmentTarget(prompt, options, candidate.CombinedPrompt)),
            timed.VisionScorer.GetAestheticLatency(candidate.Image));
    }

    private TimeSpan Sum(Func<LaneDraw[], TimeSpan> perIteration)
    {
        var total = TimeSpan.Zero;
        foreach (var lanes in Iterations)
        {
            total += perIteration(lanes);
        }

        return total;
    }
}
