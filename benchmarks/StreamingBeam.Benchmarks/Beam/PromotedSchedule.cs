using StreamingBeam.Beam.Internal;

namespace StreamingBeam.Benchmarks.Beam;

/// <summary>The critical-path bound of the engine with certain-survivor promotion: its schedule replayed on the draws
/// with unlimited concurrency and zero overhead.</summary>
/// <remarks>
/// It follows the engine's rules, not an idealised variant of them: the driver looks at iteration t only once iteration
/// t - 1 is ranked; after each arrival, the best <c>M - running</c> of the ranking pool are certain (when the next
/// iteration is certain to run, asked of the engine's own <see cref="BeamStopRules"/>); a certain parent's critique starts at
/// that moment and its first <c>N / M</c> children follow the critique; every other critique, and the children that depend
/// on final ranks, start at the ranking. An iteration is ranked once all of its lanes are done and the previous
/// iteration is ranked.
/// </remarks>
internal static class PromotedSchedule
{
    public static TimeSpan Bound(BeamSearchOptions options, IReadOnlyList<LaneDraw[]> iterations, IReadOnlyDictionary<string, BeamCandidate> candidates)
    {
        var width = options.BeamWidth;
        var keep = options.KeepTop;
        var certainChildren = BeamRanking.CertainChildren(keep, width);
        var pooled = options.RankingPool == RankingPool.ChildrenAndParents;

        var critiqueStarts = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var promoted = new HashSet<string>(StringComparer.Ordinal);
        var parents = new List<BeamCandidate>();
        var bestTotals = new List<double>();
        double? bestTotal = null;
        var images = 0;
        var previousRanking = TimeSpan.Zero;
        for (var iteration = 0; iteration < iterations.Count; iteration++)
        {
            var arrivals = iterations[iteration]
                .Select(lane => (At: Finish(lane), Candidate: candidates[lane.Id]))
                .OrderBy(a => a.At)
                .ToArray();
            var ranking = Max(previousRanking, arrivals[^1].At);

            var pool = new List<BeamCandidate>(width + parents.Count);
            if (iteration > 0 && pooled)
            {
                pool.AddRange(parents);
            }

            var nextStarts = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
            var nextPromoted = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < arrivals.Length; i++)
            {
                pool.Add(arrivals[i].Candidate);
                bestTotal = Math.Max(bestTotal ?? double.NegativeInfinity, arrivals[i].Candidate.Total);
                var running = width - (i + 1);
                if (running >= keep || running == 0 || !BeamStopRules.NextIterationIsCertain(options, Facts(running, i + 1)))
                {
                    continue;
                }

                var leaders = BeamRanking.SelectSurvivors(new List<BeamCandidate>(pool), keep);
                var at = Max(arrivals[i].At, previousRanking);
                for (var rank = 0; rank < Math.Min(keep - running, leaders.Count); rank++)
                {
                    if (nextPromoted.Add(leaders[rank].Id))
                    {
                        nextStarts[leaders[rank].Id] = at;
                    }
                }
            }

            parents = BeamRanking.SelectSurvivors(pool, keep);
            images += width;
            bestTotals.Add(bestTotal!.Value);
            foreach (var parent in parents)
            {
                nextStarts.TryAdd(parent.Id, ranking);
            }

            if (nextPromoted.Any(id => !parents.Exists(p => p.Id == id)))
            {
                throw new InvalidOperationException("A promoted candidate did not survive: the certainty rule is wrong.");
            }

            (critiqueStarts, promoted, previousRanking) = (nextStarts, nextPromoted, ranking);

            // The draws have no failures and no cost; the rules see what the engine would see at this arrival.
            RankingFacts Facts(int running, int arrived) => new()
            {
                Iteration = iteration,
                Running = running,
                Failed = 0,
                Rankable = pool.Count,
                BestTotal = bestTotal,
                EarlierBestTotals = bestTotals,
                Images = images + arrived,
                Cost = 0m,
                IterationCost = 0m,
            };

            TimeSpan Finish(LaneDraw lane)
            {
                if (lane.Iteration == 0)
                {
                    return lane.Chain;
                }

                var critiqueDone = critiqueStarts[lane.ParentId!] + lane.Critique;
                var refineStarts = promoted.Contains(lane.ParentId!) && lane.VariantIndex < certainChildren
                    ? critiqueDone
                    : Max(critiqueDone, previousRanking);
                return refineStarts + lane.AfterFirstStep;
            }
        }

        return previousRanking;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
