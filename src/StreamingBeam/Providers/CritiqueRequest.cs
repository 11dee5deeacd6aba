namespace StreamingBeam;

/// <summary>Asks an <see cref="ILlmClient"/> to critique one dimension of a scored candidate.</summary>
public sealed class CritiqueRequest
{
    /// <summary>Gets the user's original prompt.</summary>
    public required string UserPrompt { get; init; }

    /// <summary>Gets the dimension the critique is about, which is the one its children will refine.</summary>
    public required PromptDimension Dimension { get; init; }

    /// <summary>Gets the beam-search iteration the request belongs to (1 or more for critiques and refinements).</summary>
    /// <remarks>A parent can survive several iterations; the iteration lets a deterministic provider vary its answer between them.</remarks>
    public int Iteration { get; init; }

    /// <summary>Gets the candidate's content prompt.</summary>
    public required string What { get; init; }

    /// <summary>Gets the candidate's style prompt.</summary>
    public required string How { get; init; }

    /// <summary>Gets the image prompt the candidate was rendered from.</summary>
    public required string CombinedPrompt { get; init; }

    /// <summary>Gets the candidate's alignment score, in [0, 1].</summary>
    public required double Alignment { get; init; }

    /// <summary>Gets the scorer's explanation of the alignment score, if it gave one.</summary>
    public string? AlignmentAnalysis { get; init; }

    /// <summary>Gets the candidate's aesthetic score, in [0, 1].</summary>
    public required double Aesthetic { get; init; }

    /// <summary>Gets the scorer's explanation of the aesthetic score, if it gave one.</summary>
    public string? AestheticAnalysis { get; init; }
}
