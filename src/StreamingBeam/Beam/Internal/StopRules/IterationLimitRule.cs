namespace StreamingBeam.Beam.Internal;

/// <summary>Stops the search after <see cref="BeamSearchOptions.MaxIterations"/> rankings.</summary>
internal sealed class IterationLimitRule : BeamStopRule
{
    public override BeamStopReason Reason => BeamStopReason.MaxIterationsReached;

    public override bool MayStop(BeamSearchOptions options, in RankingFacts facts) =>
        facts.Iteration + 1 >= options.MaxIterations;
}
