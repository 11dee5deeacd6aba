using System.CommandLine;
using System.CommandLine.Parsing;
using StreamingBeam.Samples.Console.Beam;

namespace StreamingBeam.Samples.Console.Cli;

/// <summary>The search's price options, for real providers: per 1M tokens of the chat model, per image, and per 1M tokens
/// of an image model priced by token. Each falls back to its STREAMINGBEAM_PRICE_* environment variable.</summary>
internal sealed class PriceOptions
{
    private readonly Option<decimal?> _input = Price("--price-input", ProviderPrices.InputVariable, "price of 1M input tokens of the chat model");
    private readonly Option<decimal?> _output = Price("--price-output", ProviderPrices.OutputVariable, "price of 1M output tokens of the chat model");
    private readonly Option<decimal?> _image = Price("--price-image", ProviderPrices.ImageVariable, "price of one image");
    private readonly Option<decimal?> _imageInput = Price("--price-image-input", ProviderPrices.ImageInputVariable, "price of 1M input tokens of an image model priced by token");
    private readonly Option<decimal?> _imageOutput = Price("--price-image-output", ProviderPrices.ImageOutputVariable, "price of 1M output tokens of an image model priced by token");

    public IEnumerable<Option> All => [_input, _output, _image, _imageInput, _imageOutput];

    public ProviderPrices Read(ParseResult result) => new()
    {
        InputPer1M = result.GetValue(_input),
        OutputPer1M = result.GetValue(_output),
        PerImage = result.GetValue(_image),
        ImageInputPer1M = result.GetValue(_imageInput),
        ImageOutputPer1M = result.GetValue(_imageOutput),
    };

    private static Option<decimal?> Price(string name, string variable, string description) => new(name)
    {
        Description = $"Real providers: {description} (or {variable})",
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (ProviderPrices.TryParse(text, out var price))
            {
                return price;
            }

            result.AddError($"{name} must be a price of zero or more, such as 0.15, but was '{text}'.");
            return null;
        },
    };
}
