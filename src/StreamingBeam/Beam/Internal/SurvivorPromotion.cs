namespace StreamingBeam.Beam.Internal;

/// <summary>Certain-survivor promotion: starts the critique and certain children of every candidate whose place in the
/// top M no straggler can change, before the ranking.</summary>
/// <remarks>
/// After each arrival the best <c>M - running</c> of the ranking pool are certain. Work starts early only when no stop
/// rule may fire at this ranking (<see cref="BeamStopRules.NextIterationIsCertain"/>), so promotion never spends on an
/// iteration that does not run; a certain parent's first <c>N / M</c> children start, and the children that depend on
/// final ranks wait for the ranking. The ranking itself is still computed once, at the barrier, the same way with or
/// without promotion, which is what keeps the outcome identical. Used by the driver alone.
/// </remarks>
internal sealed class SurvivorPromotion(BeamRunContext context, SearchState state, LaneLauncher launcher)
{
    private IterationRun? _next;

    /// <summary>Keeps the iteration's leaders in order once promotion tracks them.</summary>
    public static void OnScored(IterationRun current, BeamCandidate candidate, int keepTop)
    {
        if (current.Leaders is { } leaders)
        {
            BeamRanking.InsertRanked(leaders, candidate, keepTop);
        }
    }

    /// <summary>Takes the next iteration, created early when promotion started some of its work.</summary>
    public IterationRun TakeNext(int number)
    {
        var run = _next ?? launcher.NewIteration(number);
        _next = null;
        return run;
    }

    /// <summary>Gets the iteration promotion started early, if any (its span must be closed if the search ends first).</summary>
    public IterationRun? Pending => _next;

    public void PromoteCertainSurvivors(IterationRun current, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var keep = options.KeepTop;
        var running = options.BeamWidth - current.Finished;
        if (!options.PromoteCertainSurvivors || running >= keep || running == 0)
        {
            // With nothing running the barrier is here anyway, and the ranking starts everything in rank order.
            return;
        }

        var facts = state.FactsWhileRunning(current, running, context.Ledger.SpendOf(current.Number), options);
        if (!BeamStopRules.NextIterationIsCertain(options, facts))
        {
            return;
        }

        // Only the top M of the pool can ever be certain; from here on, arrivals are inserted in order.
        var leaders = current.Leaders ??= BeamRanking.SelectSurvivors(state.RankingPoolOf(current, options), keep);
        var certain = Math.Min(keep - running, leaders.Count);
        for (var rank = 0; rank < certain; rank++)
        {
            var parent = leaders[rank];
            if (current.Promoted?.ContainsKey(parent) != true)
            {
                Promote(current, parent, cancellationToken);
            }
        }
    }

    private void Promote(IterationRun current, BeamCandidate parent, CancellationToken cancellationToken)
    {
        var next = _next ??= launcher.NewIteration(current.Number + 1);
        var dimension = context.Options.DimensionFor(next.Number);
        var critique = launcher.StartCritique(next, parent, dimension, cancellationToken);
        var children = BeamRanking.CertainChildren(context.Options.KeepTop, context.Options.BeamWidth);
        (current.Promoted ??= new(ReferenceEqualityComparer.Instance)).Add(parent, new PromotedParent(critique, children));
        for (var child = 0; child < children; child++)
        {
            launcher.StartChild(next, parent, child, dimension, critique, cancellationToken);
        }
    }
}
