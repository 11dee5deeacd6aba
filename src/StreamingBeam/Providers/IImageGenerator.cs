namespace StreamingBeam;

/// <summary>Renders an image from a text prompt.</summary>
/// <remarks>
/// Implementations must be safe to call concurrently and should honour the <c>cancellationToken</c>.
/// A thrown exception, a <see langword="null"/> image, or an image with neither bytes nor a URI fails the one
/// candidate the call was for; the search goes on.
/// </remarks>
public interface IImageGenerator
{
    /// <summary>Renders an image from <paramref name="prompt"/>.</summary>
    /// <param name="prompt">The image prompt.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The image.</returns>
    Task<GeneratedImage> GenerateAsync(string prompt, CancellationToken cancellationToken = default);
}
