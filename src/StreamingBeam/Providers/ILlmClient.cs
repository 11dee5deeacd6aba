namespace StreamingBeam;

/// <summary>A language model that writes, combines, critiques and refines image prompts.</summary>
/// <remarks>
/// <para>
/// Implementations must be safe to call concurrently: an engine calls every method from many lanes at once.
/// They should honour the <c>cancellationToken</c> in every call and let
/// <see cref="OperationCanceledException"/> escape when it is signalled.
/// </para>
/// <para>
/// Any other exception, and any response whose text is null, empty or white space, fails the one candidate
/// the call was for; the search goes on.
/// </para>
/// </remarks>
public interface ILlmClient
{
    /// <summary>Writes one dimension of a first-generation candidate from the user's prompt.</summary>
    /// <param name="request">What to expand.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The prompt for that dimension.</returns>
    Task<LlmResponse> ExpandAsync(ExpandRequest request, CancellationToken cancellationToken = default);

    /// <summary>Merges a content prompt and a style prompt into one prompt for an image generator.</summary>
    /// <param name="request">What to combine.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The combined image prompt.</returns>
    Task<LlmResponse> CombineAsync(CombineRequest request, CancellationToken cancellationToken = default);

    /// <summary>Critiques one dimension of a scored candidate, saying what to change to score higher.</summary>
    /// <param name="request">The candidate, its scores and the dimension.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The critique.</returns>
    Task<LlmResponse> CritiqueAsync(CritiqueRequest request, CancellationToken cancellationToken = default);

    /// <summary>Rewrites one dimension of a candidate from a critique of it.</summary>
    /// <param name="request">The parent's prompts, the critique and the dimension.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new prompt for that dimension.</returns>
    Task<LlmResponse> RefineAsync(RefineRequest request, CancellationToken cancellationToken = default);
}
