namespace StreamingBeam;

/// <summary>An image made by an <see cref="IImageGenerator"/>: its bytes, a URI to it, or both.</summary>
public sealed class GeneratedImage
{
    /// <summary>Gets the encoded image (for example PNG bytes), or empty when only <see cref="Uri"/> is known.</summary>
    public ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>Gets where the image can be fetched, or <see langword="null"/> when only <see cref="Data"/> is known.</summary>
    public Uri? Uri { get; init; }

    /// <summary>Gets the image's media type, for example <c>image/png</c>.</summary>
    public string MediaType { get; init; } = "image/png";

    /// <summary>Gets provider-specific facts about the image (seed, revised prompt, size), or <see langword="null"/>.</summary>
    public IReadOnlyDictionary<string, object?>? Metadata { get; init; }

    /// <summary>Gets what generating the image consumed.</summary>
    public ProviderUsage Usage { get; init; }

    /// <summary>Gets a value indicating whether the image has bytes or a URI, and so can be scored.</summary>
    public bool HasContent => !Data.IsEmpty || Uri is not null;
}
