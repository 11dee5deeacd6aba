using System.Globalization;

namespace StreamingBeam.Beam.Internal;

/// <summary>Builds the provider requests of a beam search, and candidate ids.</summary>
/// <remarks>The one place requests are shaped: the engine uses it, and so do the benchmarks' baselines and critical-path
/// computation, which must make exactly the engine's requests to hit the same simulated draws.</remarks>
internal static class BeamRequests
{
    public static ExpandRequest Expand(
        string prompt, BeamSearchOptions options, PromptDimension dimension, int index, int attempt = 0, IReadOnlyList<string>? avoid = null) => new()
    {
        UserPrompt = prompt,
        Dimension = dimension,
        VariantIndex = index,
        Temperature = options.Temperature,
        Attempt = attempt,
        Avoid = avoid ?? [],
    };

    public static CombineRequest Combine(string prompt, string what, string how) =>
        new() { UserPrompt = prompt, What = what, How = how };

    public static CritiqueRequest Critique(string prompt, int iteration, PromptDimension dimension, BeamCandidate parent) => new()
    {
        UserPrompt = prompt,
        Dimension = dimension,
        Iteration = iteration,
        What = parent.What,
        How = parent.How,
        CombinedPrompt = parent.CombinedPrompt,
        Alignment = parent.Alignment,
        AlignmentAnalysis = parent.AlignmentAnalysis,
        Aesthetic = parent.Aesthetic,
        AestheticAnalysis = parent.AestheticAnalysis,
    };

    public static RefineRequest Refine(
        string prompt,
        BeamSearchOptions options,
        int iteration,
        PromptDimension dimension,
        BeamCandidate parent,
        string critique,
        int childOfParent,
        int attempt = 0,
        IReadOnlyList<string>? avoid = null) => new()
    {
        UserPrompt = prompt,
        Dimension = dimension,
        What = parent.What,
        How = parent.How,
        Critique = critique,
        VariantIndex = childOfParent,
        Iteration = iteration,
        Temperature = options.Temperature,
        Attempt = attempt,
        Avoid = avoid ?? [],
    };

    /// <summary>The id of a first-iteration candidate: <c>c0-{index}</c>.</summary>
    public static string CandidateId(int iteration, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"c{iteration}-{index}");

    /// <summary>The id of a child: <c>c{iteration}-{parent's lineage}.{variant}</c>. It depends on the parent and the
    /// variant only, never on ranks, so a child started before its parent's rank is known already has its final id.</summary>
    public static string ChildId(int iteration, string parentId, int variant)
    {
        var dash = parentId.IndexOf('-', StringComparison.Ordinal);
        var lineage = dash < 0 ? parentId.AsSpan() : parentId.AsSpan(dash + 1);
        return string.Create(CultureInfo.InvariantCulture, $"c{iteration}-{lineage}.{variant}");
    }

    public static string AlignmentTarget(string prompt, BeamSearchOptions options, string combined) =>
        options.AlignmentTarget == StreamingBeam.AlignmentTarget.UserPrompt ? prompt : combined;
}
