namespace StreamingBeam.Tests.Faults;

/// <summary>Issue #15 item 9: usage totals never wrap or throw, and one call's negative or absurd usage is that call's
/// provider output error, naming the provider and the figure.</summary>
public class UsageFaultTests
{
    [Fact]
    public void Add_TokensThatWouldWrap_SaturateAtTheMaximum()
    {
        // The figure of the report: three of these wrapped to a negative total.
        var huge = new ProviderUsage(InputTokens: 6148914691236517420, OutputTokens: 6148914691236517420);

        var total = huge + huge + huge;

        Assert.Equal(long.MaxValue, total.InputTokens);
        Assert.Equal(long.MaxValue, total.OutputTokens);
        Assert.Equal(long.MaxValue, total.TotalTokens);
        Assert.Equal(long.MaxValue, huge.TotalTokens);
    }

    [Fact]
    public void Add_CostNearDecimalMaxValue_SaturatesInsteadOfThrowing()
    {
        var expensive = new ProviderUsage(Cost: decimal.MaxValue - 1m);

        var total = expensive + new ProviderUsage(Cost: 5m);

        Assert.Equal(decimal.MaxValue, total.Cost);
        Assert.Equal(decimal.MinValue, (new ProviderUsage(Cost: decimal.MinValue + 1m) + new ProviderUsage(Cost: -5m)).Cost);
    }

    [Fact]
    public void Add_ImagesAndNegativeFigures_SaturateBothWays()
    {
        Assert.Equal(int.MaxValue, (new ProviderUsage(Images: int.MaxValue) + new ProviderUsage(Images: 1)).Images);
        Assert.Equal(long.MinValue, (new ProviderUsage(InputTokens: long.MinValue) + new ProviderUsage(InputTokens: -1)).InputTokens);
        Assert.Equal(new ProviderUsage(2, 4, 6, 8m), new ProviderUsage(1, 2, 3, 4m).Add(new ProviderUsage(1, 2, 3, 4m)));
    }

    [Theory]
    [InlineData(-1L, 0L, 0, "0", "InputTokens is -1")]
    [InlineData(0L, -7L, 0, "0", "OutputTokens is -7")]
    [InlineData(0L, 0L, -2, "0", "Images is -2")]
    [InlineData(0L, 0L, 0, "-0.01", "Cost is -0.01")]
    [InlineData(6148914691236517420L, 0L, 0, "0", "InputTokens is 6148914691236517420")]
    [InlineData(0L, long.MaxValue, 0, "0", "OutputTokens is 9223372036854775807")]
    [InlineData(0L, 0L, int.MaxValue, "0", "Images is 2147483647")]
    [InlineData(0L, 0L, 0, "79228162514264337593543950000", "Cost is 79228162514264337593543950000")]
    public void Require_NegativeOrAbsurdUsage_IsAProviderOutputErrorNamingTheProviderAndTheFigure(
        long input, long output, int images, string cost, string figure)
    {
        var usage = new ProviderUsage(input, output, images, decimal.Parse(cost, System.Globalization.CultureInfo.InvariantCulture));

        var error = Assert.Throws<ProviderOutputException>(() => UsageCheck.Require(usage, "IImageGenerator.GenerateAsync"));

        Assert.StartsWith("IImageGenerator.GenerateAsync reported unusable usage: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(figure, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Require_UsageWithinTheDocumentedMaxima_IsReturned()
    {
        var most = new ProviderUsage(ProviderUsage.MaxTokensPerCall, ProviderUsage.MaxTokensPerCall, ProviderUsage.MaxImagesPerCall, ProviderUsage.MaxCostPerCall);

        Assert.Equal(most, UsageCheck.Require(most, "ILlmClient.ExpandAsync"));
        Assert.Equal(ProviderUsage.None, UsageCheck.Require(ProviderUsage.None, "ILlmClient.ExpandAsync"));

        // The maxima leave room: a million calls at the maximum still add up without saturating.
        Assert.True(ProviderUsage.MaxTokensPerCall * 1_000_000 < long.MaxValue / 2);
    }
}
