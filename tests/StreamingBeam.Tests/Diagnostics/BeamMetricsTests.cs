using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using StreamingBeam.Diagnostics;
using StreamingBeam.Testing;
using static StreamingBeam.Tests.Beam.BeamTestKit;

namespace StreamingBeam.Tests.Diagnostics;

[Collection(nameof(SharedMeterTests))]
public class BeamMetricsTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Search_GatedCalls_RecordsEachStageDurationAndTimeToFirstResultFromTheTimeProvider()
    {
        var metrics = StreamingBeamMetrics.Shared;
        using var stages = new MetricCollector<double>(metrics.StageDuration);
        using var firstResult = new MetricCollector<double>(metrics.BeamTimeToFirstResult);
        using var scored = new MetricCollector<long>(metrics.CandidatesScored);
        var time = new FakeTimeProvider();
        var providers = new GatedBeamProviders();
        var gate = providers.Gate;
        var engine = Engine(providers, time: time);
        var expandWhat = BeamGateKeys.Expand(PromptDimension.What, 0);
        var expandHow = BeamGateKeys.Expand(PromptDimension.How, 0);

        var run = Support.StreamRecorder<BeamEvent>.Start(
            engine.SearchStreamingAsync(Prompt, new BeamSearchOptions { BeamWidth = 1, KeepTop = 1, MaxIterations = 1 }));
        await Task.WhenAll(gate.WaitForStartAsync(expandWhat), gate.WaitForStartAsync(expandHow)).WaitAsync(Guard);
        time.Advance(TimeSpan.FromSeconds(1));
        gate.Release(expandWhat, expandHow);
        await gate.WaitForStartAsync(BeamGateKeys.Combine(W(0), H(0))).WaitAsync(Guard);
        gate.Release(BeamGateKeys.Combine(W(0), H(0)));
        await gate.WaitForStartAsync(BeamGateKeys.Image(Combined(0))).WaitAsync(Guard);
        time.Advance(TimeSpan.FromSeconds(2));
        gate.Release(BeamGateKeys.Image(Combined(0)));
        await Task.WhenAll(
            gate.WaitForStartAsync(BeamGateKeys.Alignment(Combined(0))),
            gate.WaitForStartAsync(BeamGateKeys.Aesthetic(Combined(0)))).WaitAsync(Guard);
        time.Advance(TimeSpan.FromSeconds(0.5));
        gate.Release(BeamGateKeys.Alignment(Combined(0)), BeamGateKeys.Aesthetic(Combined(0)));
        await run.ToEndAsync();

        var recorded = stages.GetMeasurementSnapshot()
            .Select(m => (Stage: (string)m.Tags["streamingbeam.stage"]!, m.Value, Operation: (string)m.Tags["gen_ai.operation.name"]!))
            .OrderBy(m => m.Stage, StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(
            [("aesthetic", 0.5, "chat"), ("alignment", 0.5, "chat"), ("combine", 0.0, "chat"), ("expand", 1.0, "chat"), ("expand", 1.0, "chat"), ("image", 2.0, "generate_content")],
            recorded);
        Assert.All(stages.GetMeasurementSnapshot(), m => Assert.False(m.Tags.ContainsKey("error.type")));
        Assert.Equal(3.5, Assert.Single(firstResult.GetMeasurementSnapshot()).Value);
        Assert.Equal(1, Assert.Single(scored.GetMeasurementSnapshot()).Value);
        Assert.Equal("s", metrics.StageDuration.Unit);
        Assert.Equal(StreamingBeamTelemetry.MeterName, metrics.StageDuration.Meter.Name);
    }

    [Fact]
    public async Task Search_WithFailures_CountsScoredAndFailedCandidatesAsTheResultDoes()
    {
        var metrics = StreamingBeamMetrics.Shared;
        using var scored = new MetricCollector<long>(metrics.CandidatesScored);
        using var failed = new MetricCollector<long>(metrics.CandidatesFailed);
        using var stages = new MetricCollector<double>(metrics.StageDuration);
        using var firstResult = new MetricCollector<double>(metrics.BeamTimeToFirstResult);
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        providers.Gate.Fail(BeamGateKeys.Image(Combined(1)), new HttpRequestException("service unavailable"));
        providers.Llm.Override(BeamGateKeys.Expand(PromptDimension.How, 2), " ");

        var result = (await RunToEndAsync(providers, new BeamSearchOptions { BeamWidth = 4, KeepTop = 2, MaxIterations = 2 })).Result;

        Assert.Equal(2, result.CandidatesFailed);
        Assert.Equal(result.CandidatesScored, scored.GetMeasurementSnapshot().Sum(m => m.Value));
        var failures = failed.GetMeasurementSnapshot()
            .Select(m => (Stage: (string)m.Tags["streamingbeam.stage"]!, ErrorType: (string)m.Tags["error.type"]!, m.Value))
            .OrderBy(m => m.Stage, StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(
            [("expand", typeof(ProviderOutputException).FullName!, 1L), ("image", typeof(HttpRequestException).FullName!, 1L)],
            failures);
        var failedImage = Assert.Single(stages.GetMeasurementSnapshot(), m => m.Tags.ContainsKey("error.type"));
        Assert.Equal("image", failedImage.Tags["streamingbeam.stage"]);
        Assert.Single(firstResult.GetMeasurementSnapshot());
    }
}
