namespace StreamingBeam.Beam.Internal;

/// <summary>Stops the search when the best total improved by less than <see cref="BeamSearchOptions.ConvergenceEpsilon"/>
/// over the last <see cref="BeamSearchOptions.ConvergencePatience"/> rankings.</summary>
internal sealed class ConvergenceRule : BeamStopRule
{
    public override BeamStopReason Reason => BeamStopReason.Converged;

    public override bool MayStop(BeamSearchOptions options, in RankingFacts facts)
    {
        if (options.ConvergenceEpsilon is not { } epsilon)
        {
            return false;
        }

        // Compared with the best total ConvergencePatience rankings before this one; the least the best can be after
        // this ranking is the best so far, so the rule fires for some outcome exactly when it fires for that one.
        var earlier = facts.EarlierBestTotals;
        var patience = options.ConvergencePatience;
        return earlier.Count >= patience && facts.BestTotalAtLeast - earlier[earlier.Count - patience] < epsilon;
    }
}
