using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Time.Testing;
using StreamingBeam.Testing;
using StreamingBeam.Tests.Extraction;
using static StreamingBeam.Tests.Extraction.ExtractionTestKit;

namespace StreamingBeam.Tests.RateLimits;

/// <summary>Extraction's side of #16: a refused extractor waits and is called again, limits hold, failed calls' usage counts.</summary>
public class ExtractionRateLimitTests
{
    [Fact]
    public async Task ARefusedExtractor_WaitsForRetryAfter_ThenSucceeds_WithoutAFailure()
    {
        var time = new FakeTimeProvider();
        var extractor = new RefusingExtractor("ocr", refusals: 1, TimeSpan.FromSeconds(5));
        var engine = new ExtractionEngine([Reg(extractor)], timeProvider: time);
        await using var updates = engine.ExtractStreamingAsync(Input).GetAsyncEnumerator();
        var next = updates.NextAsync();

        await Beam.BeamTestKit.EventuallyAsync(() => extractor.Calls == 1 && engine.GateOf("ocr").Cooldown.Waiting == 1);
        time.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(1));
        Assert.Equal(1, extractor.Calls);
        time.Advance(TimeSpan.FromTicks(1));

        var update = await next;
        Assert.Equal(ExtractionStatus.Succeeded, update.Status);
        Assert.Equal(2, extractor.Calls);
        await updates.EndAsync();
    }

    [Fact]
    public async Task ARefusalPastMaxRateLimitWait_FailsTheExtractorAndSaysWhy()
    {
        var extractor = new RefusingExtractor("ocr", refusals: 10, TimeSpan.FromMinutes(1));
        var engine = new ExtractionEngine([Reg(extractor)], defaultRunOptions: new() { MaxRateLimitWait = TimeSpan.FromSeconds(30) }, timeProvider: new FakeTimeProvider());

        var update = Assert.Single(await engine.ExtractStreamingAsync(Input).ToListAsync());

        Assert.Equal(ExtractionStatus.Failed, update.Status);
        var error = Assert.IsType<ProviderException>(update.Error);
        Assert.IsType<ProviderRateLimitedException>(error.InnerException);
        Assert.Contains("would pass ExtractionRunOptions.MaxRateLimitWait (00:00:30)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARunRateLimiter_AdmitsOneExtractorAtATime()
    {
        var gate = new CallGate();
        using var limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = 1, QueueLimit = 10 });
        var engine = new ExtractionEngine([Reg(new GatedExtractor("a", gate)), Reg(new GatedExtractor("b", gate))]);
        await using var updates = engine.ExtractStreamingAsync(Input, new ExtractionRunOptions { RateLimiter = limiter }).GetAsyncEnumerator();
        var next = updates.NextAsync();

        await gate.Started("a");
        await Beam.BeamTestKit.EventuallyAsync(() => limiter.GetStatistics()!.CurrentQueuedCount == 1);
        Assert.False(gate.HasStarted("b"));
        gate.Release("a");
        Assert.Equal("a", (await next).ExtractorName);
        await gate.Started("b");
        gate.Release("b");
        Assert.Equal("b", (await updates.NextAsync()).ExtractorName);
        await updates.EndAsync();
    }

    [Fact]
    public async Task AFailedCallThatWasCharged_ReportsItsUsage()
    {
        var charged = new ProviderUsage(InputTokens: 1200, Cost: 0.02m);
        var engine = new ExtractionEngine([Reg(new ThrowingExtractor("ocr", new ProviderOutputException("unreadable reply") { Usage = charged }))]);

        var update = Assert.Single(await engine.ExtractStreamingAsync(Input).ToListAsync());

        Assert.Equal(ExtractionStatus.Failed, update.Status);
        Assert.Equal(charged, update.Usage);
    }

    private sealed class RefusingExtractor(string name, int refusals, TimeSpan retryAfter) : IExtractor
    {
        private int _calls;

        public string Name { get; } = name;

        public int Calls => Volatile.Read(ref _calls);

        public Task<ExtractorOutput> ExtractAsync(ExtractionContext context, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _calls) <= refusals
                ? Task.FromException<ExtractorOutput>(new ProviderRateLimitedException("429", retryAfter, null))
                : Task.FromResult(new ExtractorOutput(new JsonObject { [Name] = true }));
    }

    private sealed class ThrowingExtractor(string name, Exception error) : IExtractor
    {
        public string Name { get; } = name;

        public Task<ExtractorOutput> ExtractAsync(ExtractionContext context, CancellationToken cancellationToken = default) =>
            Task.FromException<ExtractorOutput>(error);
    }
}
