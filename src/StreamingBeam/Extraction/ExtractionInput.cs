namespace StreamingBeam;

/// <summary>The one input every extractor of a run analyses, for example an uploaded image.</summary>
public sealed class ExtractionInput
{
    /// <summary>Gets the input's bytes, for example an encoded image.</summary>
    public ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>Gets the media type of <see cref="Data"/>, for example <c>image/png</c>, or <see langword="null"/> when unknown.</summary>
    public string? MediaType { get; init; }

    /// <summary>Gets a name for the input (a file name, an id) for logs and reports, or <see langword="null"/>.</summary>
    public string? Name { get; init; }

    /// <summary>Gets caller-defined facts about the input that extractors may read, or <see langword="null"/>.</summary>
    public IReadOnlyDictionary<string, object?>? Properties { get; init; }
}
