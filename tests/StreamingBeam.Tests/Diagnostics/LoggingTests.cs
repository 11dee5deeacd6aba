using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using StreamingBeam.Logging;
using StreamingBeam.Testing;
using StreamingBeam.Tests.Extraction;
using static StreamingBeam.Tests.Beam.BeamTestKit;

namespace StreamingBeam.Tests.Diagnostics;

public class LoggingTests
{
    [Fact]
    public async Task Search_CandidateFails_LogsOneWarningWithItsEventIdAndNoPromptAboveDebug()
    {
        var logs = new FakeLoggerProvider();
        using var factory = new LoggerFactory([logs]);
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        var error = new HttpRequestException("service unavailable");
        providers.Gate.Fail(BeamGateKeys.Image(Combined(1)), error);
        var engine = new BeamSearchEngine(providers.Llm, providers.Images, providers.Scorer, loggerFactory: factory);

        var result = await engine.SearchAsync(Prompt, new BeamSearchOptions { BeamWidth = 3, KeepTop = 1, MaxIterations = 1 });

        var records = logs.Collector.GetSnapshot();
        var warning = Assert.Single(records, r => r.Level >= LogLevel.Warning);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(1003, warning.Id.Id);
        Assert.Equal("CandidateFailed", warning.Id.Name);
        Assert.Equal("Candidate c0-1 failed at stage Image.", warning.Message);
        Assert.Same(error, warning.Exception);
        Assert.Equal(typeof(BeamSearchEngine).FullName, warning.Category);

        var texts = new[] { Prompt, result.Best.What, result.Best.How, result.Best.CombinedPrompt };
        Assert.DoesNotContain(records, r => r.Level >= LogLevel.Information && texts.Any(t => r.Message.Contains(t, StringComparison.Ordinal)));
        Assert.Contains(records, r => r.Level == LogLevel.Debug && r.Id.Id == 1002 && r.Message.Contains(Prompt, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Search_NothingScored_LogsEachCandidateOnceAndTheSearchOnceAsAnError()
    {
        var logs = new FakeLoggerProvider();
        using var factory = new LoggerFactory([logs]);
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        for (var i = 0; i < 2; i++)
        {
            providers.Gate.Fail(BeamGateKeys.Image(Combined(i)), new HttpRequestException("down"));
        }

        var engine = new BeamSearchEngine(providers.Llm, providers.Images, providers.Scorer, loggerFactory: factory);

        await Assert.ThrowsAsync<BeamSearchException>(() => engine.SearchAsync(Prompt, new BeamSearchOptions { BeamWidth = 2, KeepTop = 1, MaxIterations = 1 }));

        var failures = logs.Collector.GetSnapshot().Where(r => r.Level >= LogLevel.Warning).ToArray();
        Assert.Equal([1003, 1003, 1008], failures.Select(r => r.Id.Id).Order());
        Assert.Equal(LogLevel.Error, Assert.Single(failures, r => r.Id.Id == 1008).Level);
    }

    [Fact]
    public async Task RunAsync_ExtractorFails_LogsOneWarningWithItsEventIdAndNoInputFactsAboveDebug()
    {
        var logs = new FakeLoggerProvider();
        using var factory = new LoggerFactory([logs]);
        var gate = new CallGate(autoRelease: _ => true);
        var error = new InvalidOperationException("vendor error");
        gate.Fail("bad", error);
        var engine = new ExtractionEngine(
            [ExtractionTestKit.Reg(new GatedExtractor("ok", gate)), ExtractionTestKit.Reg(new GatedExtractor("bad", gate))],
            loggerFactory: factory);
        var input = new ExtractionInput { Name = "secret-customer-photo.png", MediaType = "image/png", Data = new byte[] { 9 } };

        await engine.ExtractStreamingAsync(input).ToListAsync();

        var records = logs.Collector.GetSnapshot();
        var warning = Assert.Single(records, r => r.Level >= LogLevel.Warning);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(4012, warning.Id.Id);
        Assert.Equal("Extractor bad failed.", warning.Message);
        Assert.Same(error, warning.Exception);
        Assert.Equal(typeof(ExtractionEngine).FullName, warning.Category);
        Assert.DoesNotContain(records, r => r.Level >= LogLevel.Information && r.Message.Contains("secret-customer-photo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_ExtractorTimesOut_LogsOneWarningWithTheTimeoutEventId()
    {
        var logs = new FakeLoggerProvider();
        using var factory = new LoggerFactory([logs]);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var gate = new CallGate();
        var engine = new ExtractionEngine(
            [ExtractionTestKit.Reg(new GatedExtractor("slow", gate), o => o.Timeout = TimeSpan.FromSeconds(2))],
            timeProvider: time, loggerFactory: factory);

        await using var updates = engine.ExtractStreamingAsync(ExtractionTestKit.Input).GetAsyncEnumerator();
        var next = updates.NextAsync();
        await gate.Started("slow");
        time.Advance(TimeSpan.FromSeconds(2));
        await next;
        await updates.EndAsync();

        var warning = Assert.Single(logs.Collector.GetSnapshot(), r => r.Level >= LogLevel.Warning);
        Assert.Equal(4013, warning.Id.Id);
    }

    [Theory]
    [InlineData(typeof(BeamSearchLog), 1001, 1099)]
    [InlineData(typeof(ExtractionLog), 4001, 4099)]
    public void LogMessages_EventIds_AreExplicitUniqueAndInTheirCategorysRange(Type log, int first, int last)
    {
        var attributes = log.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .ToArray();

        Assert.NotEmpty(attributes);
        Assert.All(attributes, a => Assert.InRange(a.EventId, first, last));
        Assert.Equal(attributes.Length, attributes.Select(a => a.EventId).Distinct().Count());
    }
}
