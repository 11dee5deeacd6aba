namespace StreamingBeam;

/// <summary>A vision model that judges images: how well one matches a prompt, and how good it looks.</summary>
/// <remarks>
/// Implementations must be safe to call concurrently; an engine asks for both scores of an image at once.
/// A thrown exception or a score that is NaN or outside [0, 1] fails the one candidate the call was for.
/// </remarks>
public interface IVisionScorer
{
    /// <summary>Scores how faithfully <paramref name="image"/> depicts <paramref name="prompt"/>.</summary>
    /// <param name="image">The image to judge.</param>
    /// <param name="prompt">The prompt to judge it against.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A score in [0, 1].</returns>
    Task<VisionScore> ScoreAlignmentAsync(GeneratedImage image, string prompt, CancellationToken cancellationToken = default);

    /// <summary>Scores the aesthetic quality of <paramref name="image"/>, regardless of any prompt.</summary>
    /// <param name="image">The image to judge.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A score in [0, 1].</returns>
    Task<VisionScore> ScoreAestheticAsync(GeneratedImage image, CancellationToken cancellationToken = default);
}
