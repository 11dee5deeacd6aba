namespace StreamingBeam.Testing;

/// <summary>Stable hashes of request contents: everything a call's draws may depend on.</summary>
internal static class RequestKeys
{
    /// <summary>The metadata entry in which the simulated image generator records the prompt it rendered.</summary>
    public const string PromptMetadataKey = "prompt";

    public static ulong Of(ExpandRequest request) => WithAttempt(
        StableHash.Start().Add(request.UserPrompt).Add((int)request.Dimension).Add(request.VariantIndex).Add(request.Temperature),
        request.Attempt);

    public static ulong Of(CombineRequest request) => StableHash.Start()
        .Add(request.UserPrompt).Add(request.What).Add(request.How).Finish();

    public static ulong Of(CritiqueRequest request) => StableHash.Start()
        .Add(request.UserPrompt).Add((int)request.Dimension).Add(request.What).Add(request.How).Add(request.CombinedPrompt)
        .Add(request.Alignment).Add(request.AlignmentAnalysis).Add(request.Aesthetic).Add(request.AestheticAnalysis)
        .Add(request.Iteration).Finish();

    public static ulong Of(RefineRequest request) => WithAttempt(
        StableHash.Start().Add(request.UserPrompt).Add((int)request.Dimension).Add(request.What).Add(request.How).Add(request.Critique)
            .Add(request.VariantIndex).Add(request.Iteration).Add(request.Temperature),
        request.Attempt);

    /// <summary>A request asked again (attempt 1, 2...) draws anew; the first attempt keeps the draws it always had.</summary>
    private static ulong WithAttempt(StableHash hash, int attempt) => (attempt == 0 ? hash : hash.Add(attempt)).Finish();

    public static ulong OfImagePrompt(string prompt) => StableHash.Start().Add(prompt).Finish();

    public static ulong OfAlignment(GeneratedImage image, string prompt) => StableHash.Start(OfImage(image)).Add(prompt).Finish();

    public static ulong OfAesthetic(GeneratedImage image) => OfImage(image);

    public static ulong OfExtraction(string name, ExtractionInput input) => StableHash.Start()
        .Add(name).Add(input.MediaType).Add(input.Data.Span).Finish();

    /// <summary>Identifies an image by its bytes (or URI) and the prompt recorded in its metadata.</summary>
    public static ulong OfImage(GeneratedImage image) => StableHash.Start()
        .Add(image.Data.Span).Add(image.Uri?.OriginalString).Add(RenderedPrompt(image)).Finish();

    /// <summary>Gets the prompt an image was rendered from, when its generator recorded it.</summary>
    public static string? RenderedPrompt(GeneratedImage image) =>
        image.Metadata is not null && image.Metadata.TryGetValue(PromptMetadataKey, out var value) ? value as string : null;
}
