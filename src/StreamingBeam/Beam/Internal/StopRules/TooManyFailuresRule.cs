namespace StreamingBeam.Beam.Internal;

/// <summary>Stops the search when more than <see cref="BeamSearchOptions.MaxFailureRatio"/> of an iteration's
/// candidates failed, or when the ranking has nothing to keep.</summary>
internal sealed class TooManyFailuresRule : BeamStopRule
{
    public override BeamStopReason Reason => BeamStopReason.TooManyFailures;

    public override bool MayStop(BeamSearchOptions options, in RankingFacts facts) =>
        facts.FailedAtMost > options.MaxFailureRatio * options.BeamWidth || facts.MayRankNothing;
}
