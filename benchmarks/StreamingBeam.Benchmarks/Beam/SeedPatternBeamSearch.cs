namespace StreamingBeam.Benchmarks.Beam;

/// <summary>The pattern of the source design's sample code: every WHAT/HOW pair is awaited before any combine, and every
/// critique before any refinement; from there each lane combines, renders and scores on its own.</summary>
internal sealed class SeedPatternBeamSearch(ILlmClient llm, IImageGenerator images, IVisionScorer scorer)
    : BaselineBeamSearch(llm, images, scorer)
{
    protected override async Task<BeamCandidate[]> RunFirstIterationAsync(string prompt, BeamSearchOptions options, CancellationToken cancellationToken)
    {
        var pairs = await ExpandAllPairsAsync(prompt, options, cancellationToken);
        return await Task.WhenAll(pairs.Select(lane => FinishLaneAsync(prompt, options, lane, cancellationToken)));
    }

    protected override async Task<BeamCandidate[]> RunChildIterationAsync(
        string prompt, BeamSearchOptions options, int iteration, ChildPlan[] children, CancellationToken cancellationToken)
    {
        var dimension = options.DimensionFor(iteration);
        var parentCount = children.Max(c => c.ParentRank) + 1;
        var critiques = new Task<string>[parentCount];
        foreach (var child in children)
        {
            critiques[child.ParentRank] ??= CritiqueAsync(prompt, iteration, dimension, child.Parent, cancellationToken);
        }

        var critique = await Task.WhenAll(critiques);
        return await Task.WhenAll(children.Select(child => RunChildLaneAsync(child)));

        async Task<BeamCandidate> RunChildLaneAsync(ChildPlan child)
        {
            var lane = await RefineAsync(prompt, options, iteration, dimension, child, critique[child.ParentRank], cancellationToken);
            return await FinishLaneAsync(prompt, options, lane, cancellationToken);
        }
    }
}
