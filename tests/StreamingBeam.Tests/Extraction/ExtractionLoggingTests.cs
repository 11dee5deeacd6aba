using Microsoft.Extensions.Logging;
using StreamingBeam.Testing;
using static StreamingBeam.Tests.Extraction.ExtractionTestKit;

namespace StreamingBeam.Tests.Extraction;

public class ExtractionLoggingTests
{
    [Fact]
    public async Task RunAsync_Logs_NamesAndStatusButNoInputFactsAboveDebug()
    {
        var logs = new ListLoggerFactory();
        var gate = new CallGate();
        gate.Release("ok");
        gate.Fail("bad", new InvalidOperationException("vendor error"));
        var engine = new ExtractionEngine(
            [Reg(new GatedExtractor("ok", gate)), Reg(new GatedExtractor("bad", gate)), Reg(new SyncExtractor("skipped"), o => o.Condition = _ => false)],
            loggerFactory: logs);
        var input = new ExtractionInput { Name = "secret-customer-photo.png", MediaType = "image/png", Data = new byte[] { 9, 9 } };

        await engine.ExtractStreamingAsync(input).ToListAsync();

        var entries = logs.Entries.ToList();
        Assert.DoesNotContain(entries, e => e.Level > LogLevel.Debug && e.Message.Contains("secret-customer-photo", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Level == LogLevel.Debug && e.Message.Contains("secret-customer-photo", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Level == LogLevel.Information && e.Message == "Extraction run started with 3 extractors in Atomic mode.");
        Assert.Contains(entries, e => e.Level == LogLevel.Information && e.Message.StartsWith("Extraction run completed: 3 of 3 extractors reported", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Level == LogLevel.Debug && e.Message == "Extractor ok started.");
        Assert.Contains(entries, e => e.Level == LogLevel.Debug && e.Message == "Extractor skipped skipped: ConditionFalse.");
        var failure = Assert.Single(entries, e => e.Level == LogLevel.Warning);
        Assert.Equal("Extractor bad failed.", failure.Message);
        Assert.Equal("vendor error", failure.Exception!.Message);
    }

    [Fact]
    public async Task RunAsync_StoppedEarly_LogsStoppedNotCompleted()
    {
        var logs = new ListLoggerFactory();
        var gate = new CallGate();
        gate.Release("a");
        var engine = new ExtractionEngine([Reg(new GatedExtractor("a", gate)), Reg(new GatedExtractor("b", gate))], loggerFactory: logs);

        await engine.ExtractStreamingAsync(Input, new ExtractionRunOptions { StopWhen = _ => true }).ToListAsync();

        Assert.Contains(logs.Entries, e => e.Message == "Stop condition met by the update of extractor a; canceling the extractors still running.");
        Assert.Contains(logs.Entries, e => e.Message.StartsWith("Extraction run stopped early: 1 of 2", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries, e => e.Message.StartsWith("Extraction run completed", StringComparison.Ordinal));
    }
}
