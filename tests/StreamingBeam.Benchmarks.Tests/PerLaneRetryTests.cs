using StreamingBeam.Benchmarks.Limits;

namespace StreamingBeam.Benchmarks.Tests;

public class PerLaneRetryTests
{
    private static readonly PerLaneRetryPolicy NoWait = new(2, TimeSpan.Zero, TimeSpan.Zero);

    [Fact]
    public void Delay_RetryAfterLongerThanTheBackOff_IsTheRetryAfter()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), PerLaneRetryPolicy.Default.Delay("p", 1, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Delay_WithoutRetryAfter_GrowsExponentiallyWithJitterUpToTheMaximum()
    {
        var policy = PerLaneRetryPolicy.Default;
        for (var retry = 1; retry <= 12; retry++)
        {
            var delay = policy.Delay("a prompt", retry, null);
            var nominal = Math.Min(policy.MaxDelay.Ticks, policy.BaseDelay.Ticks * Math.Pow(2, retry - 1));

            Assert.InRange(delay.Ticks, (long)(nominal * 0.5) - 1, (long)(nominal * 1.5));
        }
    }

    [Fact]
    public void Delay_SamePromptAndRetry_IsTheSameEveryTime()
    {
        var delays = Enumerable.Range(0, 20).Select(i => PerLaneRetryPolicy.Default.Delay($"prompt {i}", 2, null)).ToArray();

        Assert.Equal(delays, Enumerable.Range(0, 20).Select(i => PerLaneRetryPolicy.Default.Delay($"prompt {i}", 2, null)));
        Assert.True(delays.Distinct().Count() > 10, "the jitter spreads the lanes");
    }

    [Fact]
    public async Task GenerateAsync_RefusedTwiceThenAccepted_RetriesOnItsOwnAndSucceeds()
    {
        var inner = new RefusingGenerator(refusals: 2);
        var generator = new PerLaneRetryImageGenerator(inner, new ImageCallLog(), NoWait);

        var image = await generator.GenerateAsync("p");

        Assert.True(image.HasContent);
        Assert.Equal(3, inner.Calls);
    }

    [Fact]
    public async Task GenerateAsync_RefusedMoreThanItsRetries_FailsAsANonTransient429AndGivesUp()
    {
        var inner = new RefusingGenerator(refusals: int.MaxValue);
        var log = new ImageCallLog();
        log.Ready("p");
        var generator = new PerLaneRetryImageGenerator(inner, log, NoWait);

        var error = await Assert.ThrowsAsync<ProviderException>(() => generator.GenerateAsync("p"));

        Assert.IsNotType<ProviderRateLimitedException>(error);
        Assert.Equal(429, error.StatusCode);
        Assert.False(error.IsTransient);
        Assert.IsType<ProviderRateLimitedException>(error.InnerException);
        Assert.Equal(3, inner.Calls);
        Assert.NotNull(Assert.Single(log.Calls().Calls).GaveUp);
    }

    private sealed class RefusingGenerator(int refusals) : IImageGenerator
    {
        public int Calls { get; private set; }

        public Task<GeneratedImage> GenerateAsync(string prompt, CancellationToken cancellationToken = default)
        {
            Calls++;
            return Calls <= refusals
                ? Task.FromException<GeneratedImage>(new ProviderRateLimitedException("quota", TimeSpan.Zero, null))
                : Task.FromResult(new GeneratedImage { Uri = new Uri("simulated://image") });
        }
    }
}
