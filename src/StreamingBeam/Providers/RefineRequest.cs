namespace StreamingBeam;

/// <summary>Asks an <see cref="ILlmClient"/> to rewrite one dimension of a parent candidate, guided by a critique.</summary>
public sealed class RefineRequest
{
    /// <summary>Gets the user's original prompt.</summary>
    public required string UserPrompt { get; init; }

    /// <summary>Gets the dimension to rewrite. The other dimension is inherited unchanged.</summary>
    public required PromptDimension Dimension { get; init; }

    /// <summary>Gets the parent's content prompt.</summary>
    public required string What { get; init; }

    /// <summary>Gets the parent's style prompt.</summary>
    public required string How { get; init; }

    /// <summary>Gets the critique of the parent for <see cref="Dimension"/>.</summary>
    public required string Critique { get; init; }

    /// <summary>Gets the child's index among its parent's children, so that siblings can differ reproducibly.</summary>
    public required int VariantIndex { get; init; }

    /// <summary>Gets the beam-search iteration the request belongs to (1 or more for critiques and refinements).</summary>
    /// <remarks>A parent can survive several iterations; the iteration lets a deterministic provider vary its answer between them.</remarks>
    public int Iteration { get; init; }

    /// <summary>Gets the sampling temperature the engine asks for.</summary>
    public double Temperature { get; init; } = 0.7;

    /// <summary>Gets the text of the dimension being rewritten: <see cref="What"/> or <see cref="How"/>.</summary>
    public string Current => Dimension == PromptDimension.What ? What : How;
}
