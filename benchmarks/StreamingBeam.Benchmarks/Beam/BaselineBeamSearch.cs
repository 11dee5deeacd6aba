using StreamingBeam.Beam.Internal;

namespace StreamingBeam.Benchmarks.Beam;

/// <summary>The part of a beam search every orchestration shares: the iterations, the ranking and the provider calls.
/// Derived classes decide only where lanes wait for each other.</summary>
/// <remarks>
/// Requests, candidate ids, variant indexes, the ranking rule and the share of children per parent are the engine's
/// own (<see cref="BeamRequests"/>, <see cref="BeamRanking"/>), so on simulated providers every strategy makes exactly
/// the engine's calls and gets exactly its draws. Failures are not handled: the benchmarks inject none.
/// </remarks>
internal abstract class BaselineBeamSearch
{
    private readonly ILlmClient _llm;
    private readonly IImageGenerator _images;
    private readonly IVisionScorer _scorer;

    protected BaselineBeamSearch(ILlmClient llm, IImageGenerator images, IVisionScorer scorer)
    {
        _llm = llm;
        _images = images;
        _scorer = scorer;
    }

    /// <summary>Runs the search and returns the best candidate ever scored.</summary>
    public async Task<BeamCandidate> SearchAsync(string prompt, BeamSearchOptions options, CancellationToken cancellationToken = default)
    {
        var parents = new List<BeamCandidate>();
        BeamCandidate? best = null;
        for (var iteration = 0; iteration < options.MaxIterations; iteration++)
        {
            var children = iteration == 0
                ? await RunFirstIterationAsync(prompt, options, cancellationToken)
                : await RunChildIterationAsync(prompt, options, iteration, PlanChildren(parents, options.BeamWidth), cancellationToken);

            var pool = new List<BeamCandidate>(children.Length + parents.Count);
            foreach (var child in children)
            {
                pool.Add(child);
                if (BeamRanking.IsBetter(child, best))
                {
                    best = child;
                }
            }

            if (iteration > 0 && options.RankingPool == RankingPool.ChildrenAndParents)
            {
                pool.AddRange(parents);
            }

            parents = BeamRanking.SelectSurvivors(pool, options.KeepTop);
        }

        return best ?? throw new InvalidOperationException("The search ran no iteration.");
    }

    /// <summary>Iteration 0: expand WHAT and HOW for every index, then combine, render and score.</summary>
    protected abstract Task<BeamCandidate[]> RunFirstIterationAsync(string prompt, BeamSearchOptions options, CancellationToken cancellationToken);

    /// <summary>Iteration 1 and later: critique each parent, refine its children, then combine, render and score.</summary>
    protected abstract Task<BeamCandidate[]> RunChildIterationAsync(
        string prompt, BeamSearchOptions options, int iteration, ChildPlan[] children, CancellationToken cancellationToken);

    /// <summary>Shares the children among the parents in rank order, as the engine does.</summary>
    private static ChildPlan[] PlanChildren(List<BeamCandidate> parents, int beamWidth)
    {
        var plan = new ChildPlan[beamWidth];
        var index = 0;
        for (var rank = 0; rank < parents.Count; rank++)
        {
            var count = BeamRanking.ChildrenOf(rank, parents.Count, beamWidth);
            for (var child = 0; child < count; child++)
            {
                plan[index] = new ChildPlan(index, rank, parents[rank], child);
                index++;
            }
        }

        return plan;
    }

    /// <summary>Expands every WHAT/HOW pair of the first iteration and waits for all of them: both baselines do this.</summary>
    protected async Task<LanePrompts[]> ExpandAllPairsAsync(string prompt, BeamSearchOptions options, CancellationToken cancellationToken)
    {
        var width = options.BeamWidth;
        var whats = new Task<string>[width];
        var hows = new Task<string>[width];
        for (var i = 0; i < width; i++)
        {
            whats[i] = ExpandAsync(prompt, options, PromptDimension.What, i, cancellationToken);
            hows[i] = ExpandAsync(prompt, options, PromptDimension.How, i, cancellationToken);
        }

        var what = await Task.WhenAll(whats);
        var how = await Task.WhenAll(hows);
        var lanes = new LanePrompts[width];
        for (var i = 0; i < width; i++)
        {
            lanes[i] = new LanePrompts(0, BeamRequests.CandidateId(0, i), i, null, what[i], how[i], null, null);
        }

        return lanes;
    }

    protected async Task<string> ExpandAsync(string prompt, BeamSearchOptions options, PromptDimension dimension, int index, CancellationToken cancellationToken) =>
        (await _llm.ExpandAsync(BeamRequests.Expand(prompt, options, dimension, index), cancellationToken)).Text;

    protected async Task<string> CritiqueAsync(string prompt, int iteration, PromptDimension dimension, BeamCandidate parent, CancellationToken cancellationToken) =>
        (await _llm.CritiqueAsync(BeamRequests.Critique(prompt, iteration, dimension, parent), cancellationToken)).Text;

    /// <summary>Refines a child's dimension and returns the child's prompts, the other dimension inherited.</summary>
    protected async Task<LanePrompts> RefineAsync(
        string prompt, BeamSearchOptions options, int iteration, PromptDimension dimension, ChildPlan child, string critique, CancellationToken cancellationToken)
    {
        var request = BeamRequests.Refine(prompt, options, iteration, dimension, child.Parent, critique, child.ChildOfParent);
        var text = (await _llm.RefineAsync(request, cancellationToken)).Text;
        var what = dimension == PromptDimension.What ? text : child.Parent.What;
        var how = dimension == PromptDimension.How ? text : child.Parent.How;
        return new LanePrompts(
            iteration, BeamRequests.ChildId(iteration, child.Parent.Id, child.ChildOfParent), child.ChildOfParent, child.Parent.Id, what, how, dimension, critique);
    }

    protected async Task<string> CombineAsync(string prompt, LanePrompts lane, CancellationToken cancellationToken) =>
        (await _llm.CombineAsync(BeamRequests.Combine(prompt, lane.What, lane.How), cancellationToken)).Text;

    protected Task<GeneratedImage> GenerateAsync(string combined, CancellationToken cancellationToken) =>
        _images.GenerateAsync(combined, cancellationToken);

    protected Task<VisionScore> ScoreAlignmentAsync(string prompt, BeamSearchOptions options, GeneratedImage image, string combined, CancellationToken cancellationToken) =>
        _scorer.ScoreAlignmentAsync(image, BeamRequests.AlignmentTarget(prompt, options, combined), cancellationToken);

    protected Task<VisionScore> ScoreAestheticAsync(GeneratedImage image, CancellationToken cancellationToken) =>
        _scorer.ScoreAestheticAsync(image, cancellationToken);

    /// <summary>Combine, render and score one lane, each step the moment the previous one is done.</summary>
    protected async Task<BeamCandidate> FinishLaneAsync(string prompt, BeamSearchOptions options, LanePrompts lane, CancellationToken cancellationToken)
    {
        var combined = await CombineAsync(prompt, lane, cancellationToken);
        var image = await GenerateAsync(combined, cancellationToken);
        var alignment = ScoreAlignmentAsync(prompt, options, image, combined, cancellationToken);
        var aesthetic = ScoreAestheticAsync(image, cancellationToken);
        return MakeCandidate(options, lane, combined, image, await alignment, await aesthetic);
    }

    protected static BeamCandidate MakeCandidate(
        BeamSearchOptions options, LanePrompts lane, string combined, GeneratedImage image, VisionScore alignment, VisionScore aesthetic) => new()
    {
        Id = lane.Id,
        ParentId = lane.ParentId,
        Iteration = lane.Iteration,
        VariantIndex = lane.VariantIndex,
        What = lane.What,
        How = lane.How,
        CombinedPrompt = combined,
        Image = image,
        Alignment = alignment.Score,
        AlignmentAnalysis = alignment.Analysis,
        Aesthetic = aesthetic.Score,
        AestheticAnalysis = aesthetic.Analysis,
        Total = BeamRanking.Total(options.Alpha, alignment.Score, aesthetic.Score),
        RefinedDimension = lane.RefinedDimension,
        Critique = lane.Critique,
    };

    /// <summary>One child to make: its slot in the iteration, its parent and its place among the parent's children.</summary>
    protected readonly record struct ChildPlan(int Index, int ParentRank, BeamCandidate Parent, int ChildOfParent);

    /// <summary>A lane's prompts, ready to be combined.</summary>
    protected readonly record struct LanePrompts(
        int Iteration, string Id, int VariantIndex, string? ParentId, string What, string How, PromptDimension? RefinedDimension, string? Critique);
}
