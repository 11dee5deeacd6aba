namespace StreamingBeam;

/// <summary>A scored beam-search candidate: its prompts, its image, its scores and how it came to be.</summary>
public sealed class BeamCandidate
{
    /// <summary>Gets the candidate's id, stable and unique within its search: <c>c{iteration}-{lineage}</c>, where the
    /// lineage is the first iteration's variant index followed by the variant index of each refinement, joined by dots.
    /// For example <c>c0-4</c> is the fifth candidate of the first iteration and <c>c2-4.0.1</c> the second child, in
    /// iteration 2, of <c>c1-4.0</c>, itself the first child of <c>c0-4</c>.</summary>
    /// <remarks>An id never depends on ranks or timing, so a candidate has it from the moment its lane starts.</remarks>
    public required string Id { get; init; }

    /// <summary>Gets the id of the candidate this one was refined from, or <see langword="null"/> in the first iteration.</summary>
    public string? ParentId { get; init; }

    /// <summary>Gets the iteration that produced the candidate, from 0.</summary>
    public required int Iteration { get; init; }

    /// <summary>Gets the candidate's variant index: its position among the first iteration's N candidates, or among the
    /// children its parent had in this iteration. It is the <c>VariantIndex</c> of the request that wrote the candidate's
    /// prompt (<see cref="ExpandRequest.VariantIndex"/> or <see cref="RefineRequest.VariantIndex"/>).</summary>
    public required int VariantIndex { get; init; }

    /// <summary>Gets the content prompt.</summary>
    public required string What { get; init; }

    /// <summary>Gets the style prompt.</summary>
    public required string How { get; init; }

    /// <summary>Gets the image prompt combined from <see cref="What"/> and <see cref="How"/>.</summary>
    public required string CombinedPrompt { get; init; }

    /// <summary>Gets the rendered image.</summary>
    public required GeneratedImage Image { get; init; }

    /// <summary>Gets the alignment score, in [0, 1].</summary>
    public required double Alignment { get; init; }

    /// <summary>Gets the scorer's explanation of <see cref="Alignment"/>, or <see langword="null"/>.</summary>
    public string? AlignmentAnalysis { get; init; }

    /// <summary>Gets the aesthetic score, in [0, 1].</summary>
    public required double Aesthetic { get; init; }

    /// <summary>Gets the scorer's explanation of <see cref="Aesthetic"/>, or <see langword="null"/>.</summary>
    public string? AestheticAnalysis { get; init; }

    /// <summary>Gets the total score, <c>Alpha * Alignment + (1 - Alpha) * Aesthetic</c>, that ranks candidates.</summary>
    public required double Total { get; init; }

    /// <summary>Gets the dimension refined to make this candidate, or <see langword="null"/> in the first iteration.</summary>
    public PromptDimension? RefinedDimension { get; init; }

    /// <summary>Gets the parent's critique this candidate was refined from, or <see langword="null"/> in the first iteration.</summary>
    public string? Critique { get; init; }

    /// <summary>Gets how long each stage of the candidate's lane took.</summary>
    public CandidateTimings Timings { get; init; }

    /// <summary>Gets what the candidate's own provider calls consumed (its parent's critique is counted in the search total only).</summary>
    public ProviderUsage Usage { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"{Id} total={Total:0.000}";
}
