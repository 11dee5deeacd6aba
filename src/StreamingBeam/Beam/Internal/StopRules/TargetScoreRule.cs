namespace StreamingBeam.Beam.Internal;

/// <summary>Stops the search once the best total reaches <see cref="BeamSearchOptions.TargetScore"/>.</summary>
internal sealed class TargetScoreRule : BeamStopRule
{
    public override BeamStopReason Reason => BeamStopReason.TargetScoreReached;

    public override bool MayStop(BeamSearchOptions options, in RankingFacts facts) =>
        options.TargetScore is { } target && facts.BestTotalAtMost >= target;
}
