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
}
