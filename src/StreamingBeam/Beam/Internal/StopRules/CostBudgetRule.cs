namespace StreamingBeam.Beam.Internal;

/// <summary>Stops the search when another iteration costing as much as the last one would exceed
/// <see cref="BeamSearchOptions.MaxCost"/>.</summary>
internal sealed class CostBudgetRule : BeamStopRule
{
    public override BeamStopReason Reason => BeamStopReason.CostBudgetExhausted;

    public override bool MayStop(BeamSearchOptions options, in RankingFacts facts) =>
        options.MaxCost is { } maxCost
        && (facts.CostAtMost is not { } cost || facts.IterationCostAtMost is not { } last || cost + last > maxCost);
}
