using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.AI;

namespace StreamingBeam.Extensions.AI;

/// <summary>Options for <see cref="ImageGeneratorAdapter"/>: the generation options and prices.</summary>
/// <remarks>The adapter copies the options when it is created; changing them afterwards does not affect it.</remarks>
[Experimental(DiagnosticIds.ExperimentalImageGeneration)]
public sealed class ImageGeneratorAdapterOptions
{
    /// <summary>Initializes a new instance of the <see cref="ImageGeneratorAdapterOptions"/> class.</summary>
    public ImageGeneratorAdapterOptions()
    {
    }

    private ImageGeneratorAdapterOptions(ImageGeneratorAdapterOptions other)
    {
        GenerationOptions = other.GenerationOptions?.Clone();
        CostPerImage = other.CostPerImage;
        CostPerInputToken = other.CostPerInputToken;
        CostPerOutputToken = other.CostPerOutputToken;
    }

    /// <summary>Gets or sets the image generation options every call starts from (model id, size, media type, response
    /// format), or <see langword="null"/> for the generator's defaults.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    /// <remarks>Each call works on a copy whose <see cref="ImageGenerationOptions.Count"/> is 1: a candidate has one image,
    /// and more would be paid for and thrown away.</remarks>
    public ImageGenerationOptions? GenerationOptions { get; set; }

    /// <summary>Gets or sets the price of one generated image, in the caller's currency unit.</summary>
    /// <value>The default value is 0.</value>
    public decimal CostPerImage { get; set; }

    /// <summary>Gets or sets the price of one input token, for generators that report token usage.</summary>
    /// <value>The default value is 0.</value>
    public decimal CostPerInputToken { get; set; }

    /// <summary>Gets or sets the price of one output token, for generators that report token usage.</summary>
    /// <value>The default value is 0.</value>
    public decimal CostPerOutputToken { get; set; }

    internal ImageGeneratorAdapterOptions CloneValidated()
    {
        var errors = new List<string>();
        OptionsValidation.NonNegative($"{nameof(ImageGeneratorAdapterOptions)}.{nameof(CostPerImage)}", CostPerImage, errors);
        OptionsValidation.NonNegative($"{nameof(ImageGeneratorAdapterOptions)}.{nameof(CostPerInputToken)}", CostPerInputToken, errors);
        OptionsValidation.NonNegative($"{nameof(ImageGeneratorAdapterOptions)}.{nameof(CostPerOutputToken)}", CostPerOutputToken, errors);
        OptionsValidation.ThrowIfAny(nameof(ImageGeneratorAdapterOptions), errors);
        return new ImageGeneratorAdapterOptions(this);
    }
}
