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

    /// <summary>Gets which time the engine asks for this text: 0 the first time; 1, 2... when the previous answer
    /// repeated prompts the search already has (see <see cref="BeamSearchOptions.MaxDuplicateRetries"/>).</summary>
    /// <remarks>Deterministic providers must answer a different text for a different attempt; a model should be told
    /// to write something other than <see cref="Avoid"/>.</remarks>
    public int Attempt { get; init; }

    /// <summary>Gets the texts of this dimension the answer must differ from: earlier answers that made the candidate a
    /// duplicate. Empty on the first attempt.</summary>
    public IReadOnlyList<string> Avoid { get; init; } = [];
}
