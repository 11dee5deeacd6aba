namespace StreamingBeam.Beam.Internal;

/// <summary>One reason a beam search stops after a ranking, defined once.</summary>
/// <remarks>
/// A rule answers a single question: might it stop the search at the ranking that <see cref="RankingFacts"/> describes,
/// whatever the lanes still running do? The barrier asks it with exact facts, where "might" means "does"; survivor
/// promotion asks it with bounds, and starts work of the next iteration only when no rule might fire. Writing a rule
/// against the bounds of <see cref="RankingFacts"/> is what keeps the two answers from drifting apart.
/// </remarks>
internal abstract class BeamStopRule
{
    /// <summary>Gets the reason the search reports when this rule stops it.</summary>
    public abstract BeamStopReason Reason { get; }

    /// <summary>Whether the rule may stop the search at the ranking described by <paramref name="facts"/>.</summary>
    /// <param name="options">The search's options.</param>
    /// <param name="facts">What is known about the ranking; exact when nothing is running.</param>
    /// <returns><see langword="true"/> when the rule fires for some outcome of the running lanes.</returns>
    public abstract bool MayStop(BeamSearchOptions options, in RankingFacts facts);
}
