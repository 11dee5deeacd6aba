using StreamingBeam.Samples.Console.Beam;
using StreamingBeam.Samples.Console.Cli;

namespace StreamingBeam.Samples.Console.Tests;

/// <summary>Issue #16 item 5 in the sample: real providers take prices from options or environment variables, and a
/// paid call without a price is reported as "cost unknown", never as 0.</summary>
public class ProviderPricesTests
{
    private static readonly ProviderPrices AllPriced = new() { InputPer1M = 1m, OutputPer1M = 2m, PerImage = 0.04m };

    [Fact]
    public void Environment_FillsThePricesNotGiven_AndAnOptionWins()
    {
        var prices = new ProviderPrices { InputPer1M = 0.15m }.WithEnvironment(Variables(
            ("STREAMINGBEAM_PRICE_INPUT", "9"),
            ("STREAMINGBEAM_PRICE_OUTPUT", "0.6"),
            ("STREAMINGBEAM_PRICE_IMAGE", "0.04"),
            ("STREAMINGBEAM_PRICE_IMAGE_INPUT", "5"),
            ("STREAMINGBEAM_PRICE_IMAGE_OUTPUT", "40")));

        Assert.Equal(new ProviderPrices { InputPer1M = 0.15m, OutputPer1M = 0.6m, PerImage = 0.04m, ImageInputPer1M = 5m, ImageOutputPer1M = 40m }, prices);
    }

    [Fact]
    public void Prices_BecomeTheAdaptersPerTokenAndPerImageCosts()
    {
        var prices = new ProviderPrices { InputPer1M = 0.15m, OutputPer1M = 0.6m, PerImage = 0.04m, ImageInputPer1M = 5m, ImageOutputPer1M = 40m };

        Assert.Equal((0.00000015m, 0.0000006m), (prices.LlmOptions().CostPerInputToken, prices.LlmOptions().CostPerOutputToken));
        Assert.Equal((0.00000015m, 0.0000006m), (prices.ScorerOptions().CostPerInputToken, prices.ScorerOptions().CostPerOutputToken));
#pragma warning disable SBAI001
        var image = prices.ImageOptions();
        Assert.Equal((0.04m, 0.000005m, 0.00004m), (image.CostPerImage, image.CostPerInputToken, image.CostPerOutputToken));
#pragma warning restore SBAI001
    }

    [Theory]
    [InlineData("STREAMINGBEAM_PRICE_INPUT", "abc")]
    [InlineData("STREAMINGBEAM_PRICE_OUTPUT", "-1")]
    [InlineData("STREAMINGBEAM_PRICE_IMAGE", "0,04")]
    [InlineData("STREAMINGBEAM_PRICE_IMAGE_INPUT", "1e3")]
    [InlineData("STREAMINGBEAM_PRICE_IMAGE_OUTPUT", "$40")]
    public void Environment_NotAPrice_SaysWhichVariableAndWhatItWas(string variable, string value)
    {
        var error = Assert.Throws<SampleUsageException>(() => ProviderPrices.None.WithEnvironment(Variables((variable, value))));

        Assert.Equal($"{variable} must be a price of zero or more, such as 0.15, but was '{value}'.", error.Message);
    }

    [Fact]
    public void HalfAPairOfTokenPrices_IsAnError_NamingBoth()
    {
        var chat = Assert.Throws<SampleUsageException>(() => new ProviderPrices { InputPer1M = 0.15m }.WithEnvironment(Variables()));
        var image = Assert.Throws<SampleUsageException>(() => ProviderPrices.None.WithEnvironment(Variables(("STREAMINGBEAM_PRICE_IMAGE_OUTPUT", "40"))));

        Assert.Equal(
            "--price-input (STREAMINGBEAM_PRICE_INPUT) is set but --price-output (STREAMINGBEAM_PRICE_OUTPUT) is not: give both, 0 for a free model.",
            chat.Message);
        Assert.Equal(
            "--price-image-output (STREAMINGBEAM_PRICE_IMAGE_OUTPUT) is set but --price-image-input (STREAMINGBEAM_PRICE_IMAGE_INPUT) is not: give both, 0 for a free model.",
            image.Message);
    }

    [Fact]
    public void DescribeCost_EveryUsedProviderPriced_IsTheCost()
    {
        Assert.Equal("cost 0.0818", AllPriced.DescribeCost(new ProviderUsage(1200, 300, 2, 0.0818m)));
    }

    [Fact]
    public void DescribeCost_FreeModelsPricedAtZero_IsZero()
    {
        var free = new ProviderPrices { InputPer1M = 0m, OutputPer1M = 0m, PerImage = 0m };

        Assert.Equal("cost 0.0000", free.DescribeCost(new ProviderUsage(1200, 300, 2, 0m)));
    }

    [Fact]
    public void DescribeCost_NoPrices_IsUnknown_AndSaysHowToGiveThem()
    {
        Assert.Equal(
            "cost unknown (set --price-input and --price-output, or STREAMINGBEAM_PRICE_INPUT and STREAMINGBEAM_PRICE_OUTPUT; and --price-image or STREAMINGBEAM_PRICE_IMAGE)",
            ProviderPrices.None.DescribeCost(new ProviderUsage(1200, 300, 2, 0m)));
    }

    [Fact]
    public void DescribeCost_ImagesUnpriced_IsAtLeastTheChatCost()
    {
        var chatOnly = new ProviderPrices { InputPer1M = 1m, OutputPer1M = 2m };

        Assert.Equal(
            "cost at least 0.0018, the rest unknown (set --price-image or STREAMINGBEAM_PRICE_IMAGE)",
            chatOnly.DescribeCost(new ProviderUsage(1200, 300, 2, 0.0018m)));
    }

    [Fact]
    public void DescribeCost_ImagesPricedByToken_CountAsPriced()
    {
        var tokenPriced = new ProviderPrices { InputPer1M = 1m, OutputPer1M = 2m, ImageInputPer1M = 5m, ImageOutputPer1M = 40m };

        Assert.Equal("cost 0.5000", tokenPriced.DescribeCost(new ProviderUsage(1200, 300, 2, 0.5m)));
    }

    [Fact]
    public void DescribeCost_AnUnpricedProviderThatWasNotUsed_CostsNothing()
    {
        var chatOnly = new ProviderPrices { InputPer1M = 1m, OutputPer1M = 2m };

        Assert.Equal("cost 0.0018", chatOnly.DescribeCost(new ProviderUsage(1200, 300, 0, 0.0018m)));
    }

    [Fact]
    public void SimulatedProviders_PriceEveryCall()
    {
        var simulated = BeamProviders.Simulated(1);

        Assert.Null(simulated.Prices);
        Assert.Equal("cost 0.1234", simulated.DescribeCost(new ProviderUsage(10, 10, 1, 0.1234m)));
    }

    private static Func<string, string?> Variables(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return name => map.GetValueOrDefault(name);
    }
}
