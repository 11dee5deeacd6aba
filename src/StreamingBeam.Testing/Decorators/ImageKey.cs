namespace StreamingBeam.Testing;

/// <summary>Names an image for the gate and fault keys of scoring calls: the prompt it was rendered from when the
/// generator recorded it in the <c>prompt</c> metadata (the simulated and gated generators do), else its URI or size.</summary>
internal static class ImageKey
{
    public static string Of(GeneratedImage image) =>
        image.Metadata?.TryGetValue("prompt", out var prompt) == true && prompt is string text
            ? text
            : image.Uri?.ToString() ?? $"{image.MediaType}:{image.Data.Length}";
}
