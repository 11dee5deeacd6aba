using System.Text.Json.Serialization;

namespace StreamingBeam.Beam.Internal;

/// <summary>A candidate as a ranking record names it: everything a <see cref="BeamCandidate"/> holds but its image, which
/// stays in the record of the call that rendered it (an image is stored once, however many rankings it survives).</summary>
internal sealed class RankedCandidate
{
    public required string Id { get; init; }

    public string? ParentId { get; init; }

    public required int Iteration { get; init; }

    public required int VariantIndex { get; init; }

    public required string What { get; init; }

    public required string How { get; init; }

    public required string CombinedPrompt { get; init; }

    public required double Alignment { get; init; }

    public string? AlignmentAnalysis { get; init; }

    public required double Aesthetic { get; init; }

    public string? AestheticAnalysis { get; init; }

    public required double Total { get; init; }

    public PromptDimension? RefinedDimension { get; init; }

    public string? Critique { get; init; }

    public CandidateTimings Timings { get; init; }

    public ProviderUsage Usage { get; init; }

    /// <summary>The key of the call that rendered the candidate's image.</summary>
    [JsonIgnore]
    public StepKey ImageKey => new(Iteration, BeamStage.Image, Id, null);

    public static RankedCandidate From(BeamCandidate candidate) => new()
    {
        Id = candidate.Id,
        ParentId = candidate.ParentId,
        Iteration = candidate.Iteration,
        VariantIndex = candidate.VariantIndex,
        What = candidate.What,
        How = candidate.How,
        CombinedPrompt = candidate.CombinedPrompt,
        Alignment = candidate.Alignment,
        AlignmentAnalysis = candidate.AlignmentAnalysis,
        Aesthetic = candidate.Aesthetic,
        AestheticAnalysis = candidate.AestheticAnalysis,
        Total = candidate.Total,
        RefinedDimension = candidate.RefinedDimension,
        Critique = candidate.Critique,
        Timings = candidate.Timings,
        Usage = candidate.Usage,
    };

    public BeamCandidate ToCandidate(GeneratedImage? image) => new()
    {
        Id = Id,
        ParentId = ParentId,
        Iteration = Iteration,
        VariantIndex = VariantIndex,
        What = What,
        How = How,
        CombinedPrompt = CombinedPrompt,
        Image = image!,
        Alignment = Alignment,
        AlignmentAnalysis = AlignmentAnalysis,
        Aesthetic = Aesthetic,
        AestheticAnalysis = AestheticAnalysis,
        Total = Total,
        RefinedDimension = RefinedDimension,
        Critique = Critique,
        Timings = Timings,
        Usage = Usage,
    };
}
