namespace StreamingBeam.Testing.Tests.Simulation;

public class LatencyDistributionTests
{
    [Fact]
    public void Fixed_EveryQuantile_IsTheValue()
    {
        var distribution = LatencyDistribution.Fixed(TimeSpan.FromMilliseconds(250));

        Assert.Equal(TimeSpan.FromMilliseconds(250), distribution.Quantile(0.001));
        Assert.Equal(TimeSpan.FromMilliseconds(250), distribution.Quantile(0.999));
    }

    [Fact]
    public void Zero_EveryQuantile_IsZero()
    {
        Assert.Equal(TimeSpan.Zero, LatencyDistribution.Zero.Quantile(0.5));
        Assert.Same(LatencyDistribution.Zero, LatencyDistribution.Fixed(TimeSpan.Zero));
    }

    [Fact]
    public void Uniform_Quantile_IsLinearBetweenTheBounds()
    {
        var distribution = LatencyDistribution.Uniform(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300));

        Assert.Equal(TimeSpan.FromMilliseconds(200), distribution.Quantile(0.5));
        Assert.Equal(TimeSpan.FromMilliseconds(150), distribution.Quantile(0.25));
        Assert.InRange(distribution.Quantile(1e-9), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100.001));
    }

    [Fact]
    public void LogNormal_MedianAndPercentiles_FollowSigma()
    {
        var median = TimeSpan.FromMilliseconds(800);
        var distribution = LatencyDistribution.LogNormal(median, 0.5);

        Assert.InRange(distribution.Quantile(0.5).TotalMilliseconds, 799.999, 800.001);
        // The 95th percentile of a log-normal is median * exp(1.6449 * sigma).
        Assert.InRange(distribution.Quantile(0.95).TotalMilliseconds, 800 * Math.Exp(1.6449 * 0.5) - 0.5, 800 * Math.Exp(1.6449 * 0.5) + 0.5);
        Assert.InRange(distribution.Quantile(0.05).TotalMilliseconds, 800 * Math.Exp(-1.6449 * 0.5) - 0.5, 800 * Math.Exp(-1.6449 * 0.5) + 0.5);
        // Deep in the tails, where the approximation switches regions.
        Assert.InRange(distribution.Quantile(0.001).TotalMilliseconds, 800 * Math.Exp(-3.0902 * 0.5) - 0.5, 800 * Math.Exp(-3.0902 * 0.5) + 0.5);
    }

    [Fact]
    public void LogNormal_Quantile_IsIncreasing()
    {
        var distribution = LatencyDistribution.LogNormal(TimeSpan.FromSeconds(1), 1);
        var previous = TimeSpan.Zero;
        for (var p = 0.001; p < 1; p += 0.001)
        {
            var value = distribution.Quantile(p);
            Assert.True(value >= previous, $"Quantile({p}) = {value} is below the previous {previous}.");
            previous = value;
        }
    }

    [Fact]
    public void LogNormal_ExtremeTail_IsClampedToMaxLatency()
    {
        var distribution = LatencyDistribution.LogNormal(TimeSpan.FromHours(12), 4);

        Assert.Equal(LatencyDistribution.MaxLatency, distribution.Quantile(1 - 1e-12));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Quantile_ProbabilityOutsideOpenInterval_Throws(double p)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => LatencyDistribution.Fixed(TimeSpan.FromSeconds(1)).Quantile(p));
        Assert.Equal("p", ex.ParamName);
    }

    [Fact]
    public void Factories_InvalidArguments_ThrowNamingTheRule()
    {
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => LatencyDistribution.Fixed(TimeSpan.FromMilliseconds(-1)));
        Assert.Equal("latency", negative.ParamName);

        var inverted = Assert.Throws<ArgumentOutOfRangeException>(() => LatencyDistribution.Uniform(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));
        Assert.Equal("maximum", inverted.ParamName);
        Assert.Contains("at least the minimum", inverted.Message, StringComparison.Ordinal);

        var zeroMedian = Assert.Throws<ArgumentOutOfRangeException>(() => LatencyDistribution.LogNormal(TimeSpan.Zero, 0.5));
        Assert.Equal("median", zeroMedian.ParamName);

        var sigma = Assert.Throws<ArgumentOutOfRangeException>(() => LatencyDistribution.LogNormal(TimeSpan.FromSeconds(1), -0.1));
        Assert.Equal("sigma", sigma.ParamName);
        Assert.Contains("between 0 and 4", sigma.Message, StringComparison.Ordinal);

        var tooLong = Assert.Throws<ArgumentOutOfRangeException>(() => LatencyDistribution.Fixed(LatencyDistribution.MaxLatency + TimeSpan.FromTicks(1)));
        Assert.Contains("MaxLatency", tooLong.Message, StringComparison.Ordinal);
    }
}
