using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using StreamingBeam.Diagnostics;
using StreamingBeam.Testing;
using StreamingBeam.Tests.Extraction;
using static StreamingBeam.Tests.Extraction.ExtractionTestKit;

namespace StreamingBeam.Tests.Diagnostics;

public class ExtractionTelemetryTests
{
    private static readonly ArtifactKey<int[]> Depth = new("depth");

    [Fact]
    public async Task RunAsync_WithListener_TracesTheRunWithEachExtractorAndPreprocessorUnderIt()
    {
        using var spans = new SpanRecorder();
        var gate = new CallGate(autoRelease: _ => true);
        gate.Fail("bad", new InvalidOperationException("vendor error"));
        var preprocessor = PreprocessorRegistration.Create(Depth, (_, _) => ValueTask.FromResult(new[] { 1, 2 }));
        var usesDepth = new GatedExtractor("depthy", gate)
        {
            Result = async (context, ct) => new JsonObject { ["depth"] = (await context.GetArtifactAsync(Depth, ct)).Length },
            Usage = new ProviderUsage(InputTokens: 7, OutputTokens: 3),
        };
        var engine = new ExtractionEngine(
            [Reg(usesDepth), Reg(new GatedExtractor("bad", gate)), Reg(new SyncExtractor("never"), o => o.Condition = _ => false)],
            [preprocessor]);
        var input = new ExtractionInput { Name = "secret-customer-photo.png", MediaType = "image/png", Data = new byte[] { 1 } };

        var updates = await engine.ExtractStreamingAsync(input).ToListAsync();

        Assert.Equal(3, updates.Count);
        var run = Assert.Single(spans.Named("streamingbeam.extraction.run"));
        Assert.Equal(spans.Root.SpanId, run.ParentSpanId);
        Assert.Equal("atomic", run.Tag("streamingbeam.extraction.mode"));
        Assert.Equal("3", run.Tag("streamingbeam.extraction.extractor_count"));
        Assert.Equal("3", run.Tag("streamingbeam.extraction.completed"));
        Assert.Equal(ActivityStatusCode.Unset, run.Status);

        // Only the extractors actually called have a span; all hang directly under the run, whoever started them.
        var extractors = spans.Named("streamingbeam.extraction.extractor").ToDictionary(s => s.Tag("streamingbeam.extractor.name")!);
        Assert.Equal(["bad", "depthy"], extractors.Keys.Order());
        Assert.All(extractors.Values, s => Assert.Equal(run.SpanId, s.ParentSpanId));
        Assert.Equal("succeeded", extractors["depthy"].Tag("streamingbeam.extraction.status"));
        Assert.Equal("7", extractors["depthy"].Tag("gen_ai.usage.input_tokens"));
        Assert.Equal("3", extractors["depthy"].Tag("gen_ai.usage.output_tokens"));
        Assert.Equal(ActivityStatusCode.Error, extractors["bad"].Status);
        Assert.Equal("failed", extractors["bad"].Tag("streamingbeam.extraction.status"));
        Assert.Equal(typeof(InvalidOperationException).FullName, extractors["bad"].Tag("error.type"));

        var depth = Assert.Single(spans.Named("streamingbeam.extraction.preprocessor"));
        Assert.Equal("depth", depth.Tag("streamingbeam.artifact.name"));
        Assert.Equal(run.SpanId, depth.ParentSpanId);

        Assert.DoesNotContain(spans.All.SelectMany(s => s.TagValues()), v => v.Contains("secret-customer-photo", StringComparison.Ordinal) || v.Contains("vendor error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_RequiredExtractorFails_EndsTheRunSpanAsAnError()
    {
        using var spans = new SpanRecorder();
        var gate = new CallGate(autoRelease: _ => true);
        gate.Fail("bad", new InvalidOperationException("vendor error"));
        var engine = new ExtractionEngine([Reg(new GatedExtractor("bad", gate), o => o.Required = true)]);

        await Assert.ThrowsAsync<RequiredExtractorFailedException>(() => engine.ExtractStreamingAsync(Input).ToListAsync());

        var run = Assert.Single(spans.Named("streamingbeam.extraction.run"));
        Assert.Equal(ActivityStatusCode.Error, run.Status);
        Assert.Equal(typeof(RequiredExtractorFailedException).FullName, run.Tag("error.type"));
    }

    [Fact]
    public async Task RunAsync_GatedExtractors_RecordsDurationsTimeToFirstResultAndOutcomeCounters()
    {
        using var meters = new TestMeterFactory();
        var time = new FakeTimeProvider();
        var gate = new CallGate();
        gate.Fail("bad", new InvalidOperationException("vendor error"));
        var engine = new ExtractionEngine(
            [Reg(new GatedExtractor("ok", gate)), Reg(new GatedExtractor("bad", gate)), Reg(new SyncExtractor("never"), o => o.Condition = _ => false)],
            preprocessors: null, defaultRunOptions: null, time, loggerFactory: null, meters);
        var meter = Assert.Single(meters.Meters);
        using var durations = new MetricCollector<double>(meter, StreamingBeamMetrics.ExtractorDurationName);
        using var firstResult = new MetricCollector<double>(meter, StreamingBeamMetrics.ExtractionTimeToFirstResultName);
        using var completed = new MetricCollector<long>(meter, StreamingBeamMetrics.ExtractorsCompletedName);
        using var failed = new MetricCollector<long>(meter, StreamingBeamMetrics.ExtractorsFailedName);
        using var skipped = new MetricCollector<long>(meter, StreamingBeamMetrics.ExtractorsSkippedName);

        // "bad" fails and "never" is skipped at once; "ok" ends three (fake) seconds after the run started.
        await using var updates = engine.ExtractStreamingAsync(Input).GetAsyncEnumerator();
        var early = new[] { (await updates.NextAsync()).ExtractorName, (await updates.NextAsync()).ExtractorName };
        Assert.Equal(["bad", "never"], early.Order());
        await gate.Started("ok");
        time.Advance(TimeSpan.FromSeconds(3));
        gate.Release("ok");
        Assert.Equal("ok", (await updates.NextAsync()).ExtractorName);
        await updates.EndAsync();

        Assert.Equal(3.0, Assert.Single(firstResult.GetMeasurementSnapshot()).Value);
        var ok = Assert.Single(durations.GetMeasurementSnapshot(), m => (string?)m.Tags["streamingbeam.extractor.name"] == "ok");
        Assert.Equal(3.0, ok.Value);
        Assert.Equal("succeeded", ok.Tags["streamingbeam.extraction.status"]);
        var bad = Assert.Single(durations.GetMeasurementSnapshot(), m => (string?)m.Tags["streamingbeam.extractor.name"] == "bad");
        Assert.Equal(0.0, bad.Value);
        Assert.Equal(typeof(InvalidOperationException).FullName, bad.Tags["error.type"]);
        Assert.Equal(2, durations.GetMeasurementSnapshot().Count);

        Assert.Equal("ok", Assert.Single(completed.GetMeasurementSnapshot()).Tags["streamingbeam.extractor.name"]);
        var failure = Assert.Single(failed.GetMeasurementSnapshot());
        Assert.Equal("bad", failure.Tags["streamingbeam.extractor.name"]);
        Assert.Equal("failed", failure.Tags["streamingbeam.extraction.status"]);
        var skip = Assert.Single(skipped.GetMeasurementSnapshot());
        Assert.Equal("never", skip.Tags["streamingbeam.extractor.name"]);
        Assert.Equal("condition_false", skip.Tags["streamingbeam.extraction.skip_reason"]);
    }

    [Fact]
    public async Task RunAsync_ExtractorTimesOut_CountsItAsFailedWithTheTimedOutStatus()
    {
        using var meters = new TestMeterFactory();
        var time = new FakeTimeProvider();
        var gate = new CallGate();
        var engine = new ExtractionEngine(
            [Reg(new GatedExtractor("slow", gate), o => o.Timeout = TimeSpan.FromSeconds(5))],
            preprocessors: null, defaultRunOptions: null, time, loggerFactory: null, meters);
        using var failed = new MetricCollector<long>(Assert.Single(meters.Meters), StreamingBeamMetrics.ExtractorsFailedName);

        await using var updates = engine.ExtractStreamingAsync(Input).GetAsyncEnumerator();
        var next = updates.NextAsync();
        await gate.Started("slow");
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(ExtractionStatus.TimedOut, (await next).Status);

        var failure = Assert.Single(failed.GetMeasurementSnapshot());
        Assert.Equal("timed_out", failure.Tags["streamingbeam.extraction.status"]);
        Assert.Equal(typeof(TimeoutException).FullName, failure.Tags["error.type"]);
    }

    [Fact]
    public async Task AddAtomicExtraction_WithMeterFactoryInContainer_RecordsOnTheContainersMeter()
    {
        using var meters = new TestMeterFactory();
        var services = new ServiceCollection();
        services.AddSingleton<IMeterFactory>(meters);
        services.AddAtomicExtraction().AddExtractor(new SyncExtractor("a"));
        await using var provider = services.BuildServiceProvider();

        var engine = provider.GetRequiredService<ExtractionEngine>();
        var meter = Assert.Single(meters.Meters);
        using var completed = new MetricCollector<long>(meter, StreamingBeamMetrics.ExtractorsCompletedName);
        await engine.ExtractStreamingAsync(Input).ToListAsync();

        Assert.Equal(StreamingBeamTelemetry.MeterName, meter.Name);
        Assert.Same(meters, meter.Scope);
        Assert.NotSame(StreamingBeamMetrics.Shared.Meter, meter);
        Assert.Equal("a", Assert.Single(completed.GetMeasurementSnapshot()).Tags["streamingbeam.extractor.name"]);
    }

    [Fact]
    public void MetricsFor_SameFactory_SharesOneMeterAndOneSetOfInstruments()
    {
        using var meters = new TestMeterFactory();

        var first = StreamingBeamMetrics.For(meters);
        var second = StreamingBeamMetrics.For(meters);

        Assert.Same(first, second);
        Assert.Same(StreamingBeamMetrics.Shared, StreamingBeamMetrics.For(null));
        Assert.Equal(StreamingBeamTelemetry.MeterName, StreamingBeamMetrics.Shared.Meter.Name);
        Assert.False(string.IsNullOrEmpty(StreamingBeamMetrics.Shared.Meter.Version));
    }
}
