namespace StreamingBeam;

/// <summary>Asks an <see cref="ILlmClient"/> to merge a candidate's content and style into one image prompt.</summary>
public sealed class CombineRequest
{
    /// <summary>Gets the user's original prompt.</summary>
    public required string UserPrompt { get; init; }

    /// <summary>Gets the candidate's content prompt.</summary>
    public required string What { get; init; }

    /// <summary>Gets the candidate's style prompt.</summary>
    public required string How { get; init; }
}
