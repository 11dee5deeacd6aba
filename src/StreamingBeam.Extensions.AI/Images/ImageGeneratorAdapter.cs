using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Extensions.AI;
using MeaiImageGenerator = Microsoft.Extensions.AI.IImageGenerator;
using StreamingBeamImageGenerator = StreamingBeam.IImageGenerator;

namespace StreamingBeam.Extensions.AI;

/// <summary>A StreamingBeam <see cref="StreamingBeamImageGenerator"/> over a Microsoft.Extensions.AI
/// <see cref="MeaiImageGenerator"/>.</summary>
/// <remarks>
/// <para>
/// Microsoft.Extensions.AI's image generation is experimental (diagnostic MEAI001) and may change in any release of it,
/// so this adapter is experimental too: using it reports <c>SBAI001</c>, which you suppress to opt in knowingly.
/// </para>
/// <para>
/// Each call asks for one image and returns the first image content of the response: a <see cref="DataContent"/> as
/// bytes with its media type, or a <see cref="UriContent"/> as a URI. A response with no image content throws
/// <see cref="ProviderResponseException"/>, naming the content it had and carrying the tokens the generator reported.
/// Usage counts one image, plus the tokens the generator reports, priced with the options' costs. The cancellation
/// token is passed to the generator.
/// </para>
/// <para>
/// Whatever the generator throws, except the cancellation of the caller's token, is wrapped in a
/// <see cref="ProviderException"/> (a <see cref="ProviderRateLimitedException"/> for HTTP 429) that names the operation,
/// the model and the HTTP status where known, as <see cref="ChatClientLlm"/> describes.
/// </para>
/// </remarks>
[Experimental(DiagnosticIds.ExperimentalImageGeneration)]
public sealed class ImageGeneratorAdapter : StreamingBeamImageGenerator
{
    private readonly MeaiImageGenerator _imageGenerator;
    private readonly ImageGeneratorAdapterOptions _options;
    private readonly string? _defaultModelId;

    /// <summary>Initializes a new instance of the <see cref="ImageGeneratorAdapter"/> class.</summary>
    /// <param name="imageGenerator">The Microsoft.Extensions.AI image generator to call.</param>
    /// <param name="options">The generation options and prices, or <see langword="null"/> for the defaults. They are copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="imageGenerator"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> are not valid; the message lists every problem.</exception>
    public ImageGeneratorAdapter(MeaiImageGenerator imageGenerator, ImageGeneratorAdapterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(imageGenerator);
        _imageGenerator = imageGenerator;
        _options = (options ?? new ImageGeneratorAdapterOptions()).CloneValidated();
        _defaultModelId = imageGenerator.GetService<ImageGeneratorMetadata>()?.DefaultModelId;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="prompt"/> is null, empty or white space.</exception>
    /// <exception cref="ProviderResponseException">The generator's response holds no image.</exception>
    public async Task<GeneratedImage> GenerateAsync(string prompt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prompt);
        var generationOptions = _options.GenerationOptions?.Clone() ?? new ImageGenerationOptions();
        generationOptions.Count = 1;

        var call = new AdapterCall(
            $"{nameof(ImageGeneratorAdapter)}.{nameof(GenerateAsync)}",
            generationOptions.ModelId ?? _defaultModelId,
            _options.CostPerInputToken,
            _options.CostPerOutputToken,
            _options.CostPerImage);
        ImageGenerationResponse? response;
        try
        {
            response = await _imageGenerator.GenerateAsync(new ImageGenerationRequest(prompt), generationOptions, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception exception) when (ProviderErrors.ShouldTranslate(exception, cancellationToken))
        {
            throw call.Failure(exception, usageSoFar: null);
        }

        if (response is null)
        {
            throw new ProviderResponseException(call.Operation, "the image generator returned no response", rawReply: null) { Model = call.Model };
        }

        var usage = call.Usage(response.Usage, images: 1);
        foreach (var content in response.Contents)
        {
            switch (content)
            {
                case DataContent data when data.HasTopLevelMediaType("image") && !data.Data.IsEmpty:
                    return new GeneratedImage
                    {
                        Data = data.Data,
                        MediaType = data.MediaType,
                        Metadata = ToMetadata(content),
                        Usage = usage,
                    };
                case UriContent uri when uri.HasTopLevelMediaType("image"):
                    return new GeneratedImage
                    {
                        Uri = uri.Uri,
                        MediaType = uri.MediaType,
                        Metadata = ToMetadata(content),
                        Usage = usage,
                    };
            }
        }

        var found = response.Contents.Count == 0
            ? "no content"
            : string.Join(", ", response.Contents.Select(Describe));

        // A generator that refuses often explains in text that repeats the prompt: the text goes to RawReply only.
        var text = string.Concat(response.Contents.OfType<TextContent>().Select(t => t.Text));
        throw new ProviderResponseException(
            call.Operation, $"the image generator's response holds no image (it held {found})", text.Length == 0 ? null : text)
        {
            Model = call.Model,

            // No image, so none is counted; the tokens the generator reports were spent all the same.
            Usage = call.Usage(response.Usage),
        };
    }

    private static Dictionary<string, object?>? ToMetadata(AIContent content) =>
        content.AdditionalProperties is { Count: > 0 } properties
            ? new Dictionary<string, object?>(properties, StringComparer.Ordinal)
            : null;

    private static string Describe(AIContent content) => content switch
    {
        DataContent data => $"{nameof(DataContent)} {data.MediaType}",
        UriContent uri => $"{nameof(UriContent)} {uri.MediaType}",
        TextContent text => string.Create(CultureInfo.InvariantCulture, $"{nameof(TextContent)} of {text.Text?.Length ?? 0} characters"),
        _ => content.GetType().Name,
    };
}
