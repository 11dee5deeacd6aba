namespace StreamingBeam.Beam.Internal;

/// <summary>Stops the search when another iteration could render more images than <see cref="BeamSearchOptions.MaxImages"/> allows.</summary>
internal sealed class ImageBudgetRule : BeamStopRule
{
    public override BeamStopReason Reason => BeamStopReason.ImageBudgetExhausted;

    public override bool MayStop(BeamSearchOptions options, in RankingFacts facts) =>
        options.MaxImages is { } maxImages && facts.ImagesAtMost + options.BeamWidth > maxImages;
}
