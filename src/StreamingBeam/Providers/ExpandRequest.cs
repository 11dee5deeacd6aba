namespace StreamingBeam;

/// <summary>Asks an <see cref="ILlmClient"/> to write one dimension of a first-generation candidate from the user's prompt.</summary>
public sealed class ExpandRequest
{
    /// <summary>Gets the user's original prompt.</summary>
    public required string UserPrompt { get; init; }

    /// <summary>Gets which half of the candidate to write: its content or its style.</summary>
    public required PromptDimension Dimension { get; init; }

    /// <summary>Gets the candidate's index within the first iteration, from 0 to N - 1.</summary>
    /// <remarks>
    /// Different indexes should give different expansions, and the same index the same expansion for a
    /// deterministic provider, so that a search's variation is reproducible.
    /// </remarks>
    public required int VariantIndex { get; init; }

    /// <summary>Gets the sampling temperature the engine asks for.</summary>
    public double Temperature { get; init; } = 0.7;

    /// <summary>Gets which time the engine asks for this text: 0 the first time; 1, 2... when the previous answer
    /// repeated prompts the search already has (see <see cref="BeamSearchOptions.MaxDuplicateRetries"/>).</summary>
    /// <remarks>Deterministic providers must answer a different text for a different attempt; a model should be told
    /// to write something other than <see cref="Avoid"/>.</remarks>
    public int Attempt { get; init; }

    /// <summary>Gets the texts of this dimension the answer must differ from: earlier answers that made the candidate a
    /// duplicate. Empty on the first attempt.</summary>
    public IReadOnlyList<string> Avoid { get; init; } = [];
}
