using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace StreamingBeam.Diagnostics;

/// <summary>Every instrument of the <see cref="StreamingBeamTelemetry.MeterName"/> meter.</summary>
/// <remarks>
/// <para>
/// One instance per meter. Engines built by dependency injection get the meter from the container's
/// <see cref="IMeterFactory"/>, which scopes it to the container (so it is disposed with it, and tests can listen to one
/// container only); engines built without one share <see cref="Shared"/>, over a process-wide meter that is never
/// disposed, as the runtime's own libraries do when no factory is given.
/// </para>
/// <para>
/// Names follow the .NET and OpenTelemetry guidance: lowercase, dotted, units in the <c>unit</c> argument (UCUM
/// <c>s</c> for durations, <c>{candidate}</c>-style annotations for counts), durations as <see cref="double"/> seconds.
/// </para>
/// </remarks>
internal sealed class StreamingBeamMetrics
{
    public const string StageDurationName = "streamingbeam.beam.stage.duration";
    public const string BeamTimeToFirstResultName = "streamingbeam.beam.time_to_first_result";
    public const string CandidatesScoredName = "streamingbeam.beam.candidates.scored";
    public const string CandidatesFailedName = "streamingbeam.beam.candidates.failed";
    public const string ExtractorDurationName = "streamingbeam.extraction.extractor.duration";
    public const string PreprocessorDurationName = "streamingbeam.extraction.preprocessor.duration";
    public const string ExtractionTimeToFirstResultName = "streamingbeam.extraction.time_to_first_result";
    public const string ExtractorsCompletedName = "streamingbeam.extraction.extractors.completed";
    public const string ExtractorsFailedName = "streamingbeam.extraction.extractors.failed";
    public const string ExtractorsSkippedName = "streamingbeam.extraction.extractors.skipped";

    private static readonly ConditionalWeakTable<Meter, StreamingBeamMetrics> ByMeter = new();

    private StreamingBeamMetrics(Meter meter)
    {
        Meter = meter;
        StageDuration = meter.CreateHistogram<double>(
            StageDurationName, "s", "Duration of one provider call of a beam-search stage (one attempt, after its concurrency slot was granted).");
        BeamTimeToFirstResult = meter.CreateHistogram<double>(
            BeamTimeToFirstResultName, "s", "Time from the start of a beam search to its first scored candidate.");
        CandidatesScored = meter.CreateCounter<long>(
            CandidatesScoredName, "{candidate}", "Beam-search candidates scored.");
        CandidatesFailed = meter.CreateCounter<long>(
            CandidatesFailedName, "{candidate}", "Beam-search candidates failed, by the stage that failed.");
        ExtractorDuration = meter.CreateHistogram<double>(
            ExtractorDurationName, "s", "Duration of one extractor call, by extractor and outcome.");
        PreprocessorDuration = meter.CreateHistogram<double>(
            PreprocessorDurationName, "s", "Duration of one shared-artifact computation, by artifact.");
        ExtractionTimeToFirstResult = meter.CreateHistogram<double>(
            ExtractionTimeToFirstResultName, "s", "Time from the start of an extraction run to its first succeeded extractor.");
        ExtractorsCompleted = meter.CreateCounter<long>(
            ExtractorsCompletedName, "{extractor}", "Extractors that succeeded.");
        ExtractorsFailed = meter.CreateCounter<long>(
            ExtractorsFailedName, "{extractor}", "Extractors that failed or timed out.");
        ExtractorsSkipped = meter.CreateCounter<long>(
            ExtractorsSkippedName, "{extractor}", "Extractors that were skipped, by reason.");
    }

    /// <summary>Gets the instruments over the process-wide meter, for engines built without an <see cref="IMeterFactory"/>.</summary>
    public static StreamingBeamMetrics Shared { get; } = new(new Meter(Options()));

    public Meter Meter { get; }

    public Histogram<double> StageDuration { get; }

    public Histogram<double> BeamTimeToFirstResult { get; }

    public Counter<long> CandidatesScored { get; }

    public Counter<long> CandidatesFailed { get; }

    public Histogram<double> ExtractorDuration { get; }

    public Histogram<double> PreprocessorDuration { get; }

    public Histogram<double> ExtractionTimeToFirstResult { get; }

    public Counter<long> ExtractorsCompleted { get; }

    public Counter<long> ExtractorsFailed { get; }

    public Counter<long> ExtractorsSkipped { get; }

    /// <summary>Returns the instruments of <paramref name="meterFactory"/>'s StreamingBeam meter, or <see cref="Shared"/>.</summary>
    /// <remarks>A factory returns the same meter for the same options, and the instruments are cached per meter, so
    /// engines sharing a container share one set of instruments.</remarks>
    public static StreamingBeamMetrics For(IMeterFactory? meterFactory) =>
        meterFactory is null ? Shared : ByMeter.GetValue(meterFactory.Create(Options()), static meter => new StreamingBeamMetrics(meter));

    private static MeterOptions Options() => new(StreamingBeamTelemetry.MeterName) { Version = Telemetry.Version };
}
