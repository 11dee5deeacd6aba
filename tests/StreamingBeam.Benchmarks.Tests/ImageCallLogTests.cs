using Microsoft.Extensions.Time.Testing;
using StreamingBeam.Benchmarks.Limits;
using StreamingBeam.Testing;

namespace StreamingBeam.Benchmarks.Tests;

public class ImageCallLogTests
{
    [Fact]
    public async Task Recorder_QuotaOfTwo_RecordsTwoAcceptedCallsAndOneRefusalWithItsRetryAfter()
    {
        var options = SimulatedProvidersOptions.Instant();
        options.ImageGenerator.RenderImages = false;
        options.ImageGenerator.Quota = SimulatedQuotaOptions.PerSecond(1, burst: 2);
        var providers = SimulatedProviders.Create(1, options, new FakeTimeProvider());
        var log = new ImageCallLog();
        var recorder = new ImageAttemptRecorder(providers.ImageGenerator, log);

        foreach (var prompt in new[] { "a", "b", "c" })
        {
            log.Ready(prompt);
        }

        await recorder.GenerateAsync("a");
        await recorder.GenerateAsync("b");
        var refusal = await Assert.ThrowsAsync<ProviderRateLimitedException>(() => recorder.GenerateAsync("c"));

        var calls = log.Calls();
        Assert.Equal(["a", "b", "c"], calls.Calls.Select(c => c.Prompt));
        Assert.All(calls.Calls.Take(2), c => Assert.True(c.Accepted is not null && c.Ended is not null));
        Assert.Null(calls.Calls[2].Accepted);
        var refused = Assert.Single(calls.Refusals);
        Assert.Equal("c", refused.Prompt);
        Assert.Equal(refusal.RetryAfter, refused.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.RetryAfter);
        Assert.Equal(2, calls.AcceptedAt.Count);
        Assert.Equal(1, providers.ImageGenerator.RateLimitedCalls);
    }

    [Fact]
    public void Match_SamePromptTwice_PairsReadinessWithAcceptancesInOrder()
    {
        static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);
        var calls = ImageCalls.Match(
            [("p", S(1)), ("p", S(2))],
            [new("p", S(3), Accepted: true, TimeSpan.Zero, null), new("p", S(1.5), Accepted: true, TimeSpan.Zero, null)],
            []);

        Assert.Equal([S(1.5), S(3)], calls.Calls.Select(c => c.Accepted!.Value));
        Assert.Equal([new TimeInterval(S(1), S(1.5)), new TimeInterval(S(2), S(3))], calls.Waiting());
    }
}
