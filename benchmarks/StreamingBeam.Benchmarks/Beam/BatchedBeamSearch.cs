namespace StreamingBeam.Benchmarks.Beam;

/// <summary>The batched baseline: every stage waits for every lane to finish the previous stage (all expansions, then
/// all combines, all images, all scores; all critiques, then all refinements ...).</summary>
internal sealed class BatchedBeamSearch(ILlmClient llm, IImageGenerator images, IVisionScorer scorer)
    : BaselineBeamSearch(llm, images, scorer)
{
    protected override async Task<BeamCandidate[]> RunFirstIterationAsync(string prompt, BeamSearchOptions options, CancellationToken cancellationToken)
    {
        var lanes = await ExpandAllPairsAsync(prompt, options, cancellationToken);
        return await FinishStagesAsync(prompt, options, lanes, cancellationToken);
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
        var lanes = await Task.WhenAll(children.Select(
            child => RefineAsync(prompt, options, iteration, dimension, child, critique[child.ParentRank], cancellationToken)));
        return await FinishStagesAsync(prompt, options, lanes, cancellationToken);
    }

    private async Task<BeamCandidate[]> FinishStagesAsync(string prompt, BeamSearchOptions options, LanePrompts[] lanes, CancellationToken cancellationToken)
    {
        var combined = await Task.WhenAll(lanes.Select(lane => CombineAsync(prompt, lane, cancellationToken)));
        var images = await Task.WhenAll(combined.Select(text => GenerateAsync(text, cancellationToken)));
        var alignments = new Task<VisionScore>[lanes.Length];
        var aesthetics = new Task<VisionScore>[lanes.Length];
        for (var i = 0; i < lanes.Length; i++)
        {
            alignments[i] = ScoreAlignmentAsync(prompt, options, images[i], combined[i], cancellationToken);
            aesthetics[i] = ScoreAestheticAsync(images[i], cancellationToken);
        }

        var alignment = await Task.WhenAll(alignments);
        var aesthetic = await Task.WhenAll(aesthetics);
        var candidates = new BeamCandidate[lanes.Length];
        for (var i = 0; i < lanes.Length; i++)
        {
            candidates[i] = MakeCandidate(options, lanes[i], combined[i], images[i], alignment[i], aesthetic[i]);
        }

        return candidates;
    }
}
