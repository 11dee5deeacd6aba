namespace StreamingBeam.Testing.Tests.Simulation;

public class OptionsValidationTests
{
    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    public void FailureRate_OutOfRange_ThrowsNamingOptionAndRule(double rate)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new SimulatedLlmClient(1, new SimulatedLlmOptions { FailureRate = rate }));

        Assert.Equal("options", ex.ParamName);
        Assert.StartsWith("SimulatedLlmOptions.FailureRate must be between 0 and 1 (inclusive).", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rates_SummingAboveOne_Throw()
    {
        var options = new SimulatedVisionScorerOptions { FailureRate = 0.5, HangRate = 0.3, InvalidOutputRate = 0.3 };

        var ex = Assert.Throws<ArgumentException>(() => new SimulatedVisionScorer(1, options));

        Assert.StartsWith("SimulatedVisionScorerOptions.FailureRate + HangRate + InvalidOutputRate must be at most 1; it was 1.1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NullLatency_Throws()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => new SimulatedExtractor("x", 1, new SimulatedExtractorOptions { Latency = null! }));

        Assert.StartsWith("SimulatedExtractorOptions.Latency must not be null.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LatencyOverride_ForAnotherProvidersOperation_Throws()
    {
        var options = new SimulatedImageGeneratorOptions();
        options.LatencyOverrides[SimulatedOperation.Critique] = LatencyDistribution.Zero;

        var ex = Assert.Throws<ArgumentException>(() => new SimulatedImageGenerator(1, options));

        Assert.StartsWith("SimulatedImageGeneratorOptions.LatencyOverrides has an entry for Critique, which this provider never performs; it performs GenerateImage.", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(SimulatedImageGeneratorOptions.MaxSize + 1)]
    public void ImageSize_OutOfRange_Throws(int size)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new SimulatedImageGenerator(1, new SimulatedImageGeneratorOptions { Height = size }));

        Assert.StartsWith("SimulatedImageGeneratorOptions.Height must be between 1 and 4096 pixels.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NegativeCost_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new SimulatedImageGenerator(1, new SimulatedImageGeneratorOptions { CostPerImage = -1m }));

        Assert.StartsWith("SimulatedImageGeneratorOptions.CostPerImage must be zero or positive.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Noise_OutOfRange_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new SimulatedVisionScorer(1, new SimulatedVisionScorerOptions { Noise = 0.6 }));

        Assert.StartsWith("SimulatedVisionScorerOptions.Noise must be between 0 and 0.5 (inclusive).", ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<SimulatedQuotaOptions, string> BadQuotas => new()
    {
        { SimulatedQuotaOptions.PerSecond(0), "SimulatedImageGeneratorOptions.Quota.RequestsPerPeriod must be at least 1; it was 0." },
        { new SimulatedQuotaOptions { Period = TimeSpan.Zero }, "SimulatedImageGeneratorOptions.Quota.Period must be more than zero and at most 1.00:00:00 (one day); it was 00:00:00." },
        { new SimulatedQuotaOptions { Period = TimeSpan.FromHours(25) }, "SimulatedImageGeneratorOptions.Quota.Period must be more than zero and at most 1.00:00:00 (one day); it was 1.01:00:00." },
        { SimulatedQuotaOptions.PerMinute(5, burst: 0), "SimulatedImageGeneratorOptions.Quota.Burst must be at least 1, or null for RequestsPerPeriod; it was 0." },
    };

    [Theory]
    [MemberData(nameof(BadQuotas))]
    public void Quota_Invalid_ThrowsNamingOptionRuleAndValue(SimulatedQuotaOptions quota, string message)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new SimulatedImageGenerator(1, new SimulatedImageGeneratorOptions { Quota = quota }));

        Assert.Equal("options", ex.ParamName);
        Assert.Equal(message + " (Parameter 'options')", ex.Message);
    }

    [Fact]
    public void Quota_IsCopied_LaterChangesHaveNoEffect()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var quota = SimulatedQuotaOptions.PerSecond(1, burst: 1);
        var generator = new SimulatedImageGenerator(1, new SimulatedImageGeneratorOptions { Latency = LatencyDistribution.Zero, RenderImages = false, Quota = quota }, clock);

        quota.Burst = 100;
        _ = generator.GenerateAsync("a");
        var second = generator.GenerateAsync("b");

        Assert.IsType<ProviderRateLimitedException>(second.Exception?.InnerException);
    }

    [Fact]
    public void Create_NullSubOptions_Throws()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => SimulatedProviders.Create(1, new SimulatedProvidersOptions { Llm = null! }));

        Assert.StartsWith("SimulatedProvidersOptions.Llm must not be null.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_AreRealisticAndFaultFree()
    {
        var options = new SimulatedProvidersOptions();

        Assert.Equal(600, options.Llm.Latency.Quantile(0.5).TotalMilliseconds, 0.01);
        Assert.Equal(2000, options.ImageGenerator.Latency.Quantile(0.5).TotalMilliseconds, 0.01);
        Assert.Equal(0, options.Llm.FailureRate + options.Llm.HangRate + options.Llm.InvalidOutputRate);
        Assert.Equal(256, options.ImageGenerator.Width);
        Assert.True(options.ImageGenerator.RenderImages);
        Assert.Null(options.ImageGenerator.Quota);
        Assert.Equal((60, TimeSpan.FromMinutes(1), (int?)null), (new SimulatedQuotaOptions().RequestsPerPeriod, new SimulatedQuotaOptions().Period, new SimulatedQuotaOptions().Burst));
    }

    [Fact]
    public void Create_SharesTheSeedAndBuildsExtractorsWithIt()
    {
        var providers = SimulatedProviders.Create(42, SimulatedProvidersOptions.Instant());

        Assert.Equal(42, providers.Llm.Seed);
        Assert.Equal(42, providers.ImageGenerator.Seed);
        Assert.Equal(42, providers.VisionScorer.Seed);
        Assert.Equal(42, providers.CreateExtractor("x").Seed);
    }
}
