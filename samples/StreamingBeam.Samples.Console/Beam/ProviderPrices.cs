using System.Globalization;
using StreamingBeam.Extensions.AI;
using StreamingBeam.Samples.Console.Cli;

namespace StreamingBeam.Samples.Console.Beam;

/// <summary>What the real providers cost, from the command line or, for a price not given there, the environment. A
/// price given nowhere is unknown, never zero: a paid call with no price makes the cost "unknown", so that the sample
/// never reports 0 for money spent. Give 0 for a free model (a local server).</summary>
internal sealed record ProviderPrices
{
    public const string InputVariable = "STREAMINGBEAM_PRICE_INPUT";
    public const string OutputVariable = "STREAMINGBEAM_PRICE_OUTPUT";
    public const string ImageVariable = "STREAMINGBEAM_PRICE_IMAGE";
    public const string ImageInputVariable = "STREAMINGBEAM_PRICE_IMAGE_INPUT";
    public const string ImageOutputVariable = "STREAMINGBEAM_PRICE_IMAGE_OUTPUT";

    private const decimal TokensPerPrice = 1_000_000m;

    public static ProviderPrices None { get; } = new();

    /// <summary>Gets the price of 1M input tokens of the chat model (it writes the prompts and judges the images).</summary>
    public decimal? InputPer1M { get; init; }

    /// <summary>Gets the price of 1M output tokens of the chat model.</summary>
    public decimal? OutputPer1M { get; init; }

    /// <summary>Gets the price of one image.</summary>
    public decimal? PerImage { get; init; }

    /// <summary>Gets the price of 1M input tokens of the image model, for models priced by token (gpt-image-1).</summary>
    public decimal? ImageInputPer1M { get; init; }

    /// <summary>Gets the price of 1M output tokens of the image model.</summary>
    public decimal? ImageOutputPer1M { get; init; }

    private bool ChatPriced => InputPer1M is not null && OutputPer1M is not null;

    private bool ImagesPriced => PerImage is not null || (ImageInputPer1M is not null && ImageOutputPer1M is not null);

    /// <summary>Reads a price as the command line and the environment give it: a decimal number of zero or more, such as 0.15.</summary>
    public static bool TryParse(string? text, out decimal price) =>
        decimal.TryParse(text?.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out price);

    /// <summary>Gets these prices, each price not given filled from its environment variable, checked.</summary>
    /// <exception cref="SampleUsageException">A variable is not a price, or a pair of token prices is half given.</exception>
    public ProviderPrices WithEnvironment(Func<string, string?> getVariable)
    {
        var prices = this with
        {
            InputPer1M = InputPer1M ?? FromVariable(getVariable, InputVariable),
            OutputPer1M = OutputPer1M ?? FromVariable(getVariable, OutputVariable),
            PerImage = PerImage ?? FromVariable(getVariable, ImageVariable),
            ImageInputPer1M = ImageInputPer1M ?? FromVariable(getVariable, ImageInputVariable),
            ImageOutputPer1M = ImageOutputPer1M ?? FromVariable(getVariable, ImageOutputVariable),
        };
        CheckPair(prices.InputPer1M, "--price-input", InputVariable, prices.OutputPer1M, "--price-output", OutputVariable);
        CheckPair(prices.ImageInputPer1M, "--price-image-input", ImageInputVariable, prices.ImageOutputPer1M, "--price-image-output", ImageOutputVariable);
        return prices;
    }

    public ChatClientLlmOptions LlmOptions() => new()
    {
        CostPerInputToken = (InputPer1M ?? 0m) / TokensPerPrice,
        CostPerOutputToken = (OutputPer1M ?? 0m) / TokensPerPrice,
    };

    public ChatClientVisionScorerOptions ScorerOptions() => new()
    {
        CostPerInputToken = (InputPer1M ?? 0m) / TokensPerPrice,
        CostPerOutputToken = (OutputPer1M ?? 0m) / TokensPerPrice,
    };

#pragma warning disable SBAI001 // The experimental image adapter's options; the sample opts in knowingly.
    public ImageGeneratorAdapterOptions ImageOptions() => new()
    {
        CostPerImage = PerImage ?? 0m,
        CostPerInputToken = (ImageInputPer1M ?? 0m) / TokensPerPrice,
        CostPerOutputToken = (ImageOutputPer1M ?? 0m) / TokensPerPrice,
    };
#pragma warning restore SBAI001

    /// <summary>"cost 0.0123"; or, when a provider that was used has no price, what it is known to be at least and how to
    /// give the missing prices.</summary>
    public string DescribeCost(ProviderUsage usage)
    {
        var missing = new List<string>(2);
        if (!ChatPriced && usage.TotalTokens > 0)
        {
            missing.Add($"--price-input and --price-output, or {InputVariable} and {OutputVariable}");
        }

        if (!ImagesPriced && usage.Images > 0)
        {
            missing.Add($"--price-image or {ImageVariable}");
        }

        if (missing.Count == 0)
        {
            return Cost(usage.Cost);
        }

        var set = string.Join("; and ", missing);
        return usage.Cost > 0
            ? $"cost at least {usage.Cost.ToString("0.0000", CultureInfo.InvariantCulture)}, the rest unknown (set {set})"
            : $"cost unknown (set {set})";
    }

    /// <summary>"cost 0.0123", for providers whose every call is priced (the simulated ones).</summary>
    public static string Cost(decimal cost) => $"cost {cost.ToString("0.0000", CultureInfo.InvariantCulture)}";

    private static decimal? FromVariable(Func<string, string?> getVariable, string name)
    {
        var text = getVariable(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return TryParse(text, out var price)
            ? price
            : throw new SampleUsageException($"{name} must be a price of zero or more, such as 0.15, but was '{text}'.");
    }

    private static void CheckPair(decimal? first, string firstOption, string firstVariable, decimal? second, string secondOption, string secondVariable)
    {
        if ((first is null) == (second is null))
        {
            return;
        }

        var (given, givenVariable, missing, missingVariable) = first is null
            ? (secondOption, secondVariable, firstOption, firstVariable)
            : (firstOption, firstVariable, secondOption, secondVariable);
        throw new SampleUsageException(
            $"{given} ({givenVariable}) is set but {missing} ({missingVariable}) is not: give both, 0 for a free model.");
    }
}
