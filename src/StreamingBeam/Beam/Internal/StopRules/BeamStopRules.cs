using System.Collections.Immutable;

namespace StreamingBeam.Beam.Internal;

/// <summary>Every rule that stops a beam search after a ranking, in the order their reasons take precedence.</summary>
/// <remarks>The barrier, survivor promotion and the benchmarks' schedule model all ask this list, so a rule added here
/// is seen by all three; a rule that is not here cannot stop a search.</remarks>
internal static class BeamStopRules
{
    /// <summary>The rules, first match wins: failures, the target score, convergence, the iteration limit, then the
    /// image and cost budgets (which guard the next iteration, so they are asked last).</summary>
    public static readonly ImmutableArray<BeamStopRule> All =
    [
        new TooManyFailuresRule(),
        new TargetScoreRule(),
        new ConvergenceRule(),
        new IterationLimitRule(),
        new ImageBudgetRule(),
        new CostBudgetRule(),
    ];

    /// <summary>The reason the search stops at a ranking, or <see langword="null"/> to go on.</summary>
    /// <param name="options">The search's options.</param>
    /// <param name="facts">The ranking's exact facts: nothing may be running.</param>
    /// <returns>The first rule's reason that fires, or <see langword="null"/>.</returns>
    public static BeamStopReason? StopAt(BeamSearchOptions options, in RankingFacts facts)
    {
        if (facts.Running != 0)
        {
            throw new InvalidOperationException("A ranking's stop rules are decided once every lane has reported.");
        }

        foreach (var rule in All)
        {
            if (rule.MayStop(options, facts))
            {
                return rule.Reason;
            }
        }

        return null;
    }

    /// <summary>Whether no rule can stop the search at this ranking, whatever the running lanes do: only then may work of
    /// the next iteration start before the ranking, so that nothing is spent on an iteration that will not run.</summary>
    /// <param name="options">The search's options.</param>
    /// <param name="facts">What is known about the ranking so far.</param>
    /// <returns><see langword="true"/> when the next iteration is certain to run.</returns>
    public static bool NextIterationIsCertain(BeamSearchOptions options, in RankingFacts facts)
    {
        foreach (var rule in All)
        {
            if (rule.MayStop(options, facts))
            {
                return false;
            }
        }

        return true;
    }
}
