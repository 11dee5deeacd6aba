using System.Collections.Concurrent;
using System.Text;

namespace StreamingBeam.Testing;

/// <summary>An <see cref="IImageGenerator"/> whose every call waits at a <see cref="CallGate"/> and then returns a tiny
/// placeholder image whose bytes are the prompt and whose metadata <c>"prompt"</c> names it.</summary>
public sealed class GatedImageGenerator : IImageGenerator
{
    /// <summary>The media type of the placeholder images.</summary>
    public const string MediaType = "application/x-gated-image";

    private readonly ConcurrentDictionary<string, GeneratedImage?> _overrides = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="GatedImageGenerator"/> class.</summary>
    /// <param name="gate">The gate every call waits at.</param>
    public GatedImageGenerator(CallGate gate)
    {
        ArgumentNullException.ThrowIfNull(gate);
        Gate = gate;
    }

    /// <summary>Gets the gate every call waits at.</summary>
    public CallGate Gate { get; }

    /// <summary>Gets or sets the usage every call reports.</summary>
    public ProviderUsage UsagePerCall { get; set; } = new(Images: 1);

    /// <summary>Gets the prompt a placeholder image was rendered from.</summary>
    /// <param name="image">An image returned by this generator.</param>
    /// <returns>The prompt.</returns>
    public static string PromptOf(GeneratedImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.Metadata?.TryGetValue("prompt", out var prompt) == true && prompt is string text
            ? text
            : Encoding.UTF8.GetString(image.Data.Span);
    }

    /// <summary>Makes the generation for <paramref name="prompt"/> return <paramref name="image"/> instead (which may be
    /// <see langword="null"/>, to test how bad output is handled).</summary>
    /// <param name="prompt">The image prompt.</param>
    /// <param name="image">The image to return.</param>
    public void Override(string prompt, GeneratedImage? image) => _overrides[prompt] = image;

    /// <inheritdoc/>
    public async Task<GeneratedImage> GenerateAsync(string prompt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        await Gate.EnterAsync(BeamGateKeys.Image(prompt), cancellationToken).ConfigureAwait(false);
        if (_overrides.TryGetValue(prompt, out var replacement))
        {
            return replacement!;
        }

        return new GeneratedImage
        {
            Data = Encoding.UTF8.GetBytes(prompt),
            MediaType = MediaType,
            Metadata = new Dictionary<string, object?> { ["prompt"] = prompt },
            Usage = UsagePerCall,
        };
    }
}
