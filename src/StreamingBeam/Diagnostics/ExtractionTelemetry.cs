using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace StreamingBeam.Diagnostics;

/// <summary>The spans and measurements of one extraction run.</summary>
/// <remarks>
/// <para>
/// The run's span is never the ambient one: the run is driven by an async iterator, which cannot keep an ambient value
/// across its yields, and its extractors are started from whichever thread completed the one before. So the extractor
/// and preprocessor spans name the run's span as their parent explicitly, and each becomes the ambient span of its
/// own call, where the extractor's own spans (an HTTP call, a model client) nest under it.
/// </para>
/// <para>With no listener attached, every call is a check of <see cref="ActivitySource.HasListeners"/> and
/// <see cref="Instrument.Enabled"/> and allocates nothing.</para>
/// </remarks>
internal sealed class ExtractionTelemetry
{
    public const string RunSpanName = "streamingbeam.extraction.run";
    public const string ExtractorSpanName = "streamingbeam.extraction.extractor";
    public const string PreprocessorSpanName = "streamingbeam.extraction.preprocessor";

    public const string CanceledStatus = "canceled";

    /// <summary>The <c>streamingbeam.extraction.status</c> values, indexed by <see cref="ExtractionStatus"/>.</summary>
    private static readonly string[] StatusNames = ["succeeded", "failed", "skipped", "timed_out", "provisional"];

    /// <summary>The <c>streamingbeam.extraction.skip_reason</c> values, indexed by <see cref="ExtractionSkipReason"/>.</summary>
    private static readonly string[] SkipReasonNames = ["none", "condition_false", "dependency_not_succeeded", "budget_exceeded"];

    private readonly StreamingBeamMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private Activity? _run;
    private int _firstSucceeded;

    public ExtractionTelemetry(StreamingBeamMetrics metrics, TimeProvider time, long startTimestamp)
    {
        _metrics = metrics;
        _time = time;
        _startTimestamp = startTimestamp;
    }

    public static string StatusName(ExtractionStatus status) => StatusNames[(int)status];

    /// <summary>Starts the run's span under the ambient span, without making it the ambient one.</summary>
    public void StartRun(int extractorCount, ExtractionMode mode)
    {
        if (!Telemetry.Source.HasListeners())
        {
            return;
        }

        _run = Telemetry.StartDetached(RunSpanName, ActivityKind.Internal);
        if (_run is { IsAllDataRequested: true })
        {
            _run.SetTag(TelemetryTags.ExtractionMode, mode == ExtractionMode.Atomic ? "atomic" : "tiered");
            _run.SetTag(TelemetryTags.ExtractorCount, extractorCount);
        }
    }

    /// <summary>Ends the run's span: failed when a required extractor ended it or the caller canceled it; a run stopped
    /// early on purpose (a stop condition, a consumer that left) is not an error.</summary>
    public void EndRun(int completed, Exception? failure, bool canceled)
    {
        if (_run is not { } run)
        {
            return;
        }

        run.SetTag(TelemetryTags.ExtractorsCompleted, completed);
        if (failure is not null)
        {
            Telemetry.SetError(run, failure);
        }
        else if (canceled)
        {
            run.SetStatus(ActivityStatusCode.Error);
            run.SetTag(TelemetryTags.ErrorType, typeof(OperationCanceledException).FullName);
        }

        // Stopped on whatever thread drained the run; the ambient span there is not the run's, so keep it.
        var previous = Activity.Current;
        run.Dispose();
        Activity.Current = previous;
    }

    /// <summary>Starts one extractor call: its span, the ambient one for the call, and the clock of its duration.</summary>
    public ExtractionCall StartExtractor(string extractorName) =>
        Start(ExtractorSpanName, ActivityKind.Internal, TelemetryTags.ExtractorName, extractorName, _metrics.ExtractorDuration);

    /// <summary>Starts one shared-artifact computation: its span and the clock of its duration.</summary>
    public ExtractionCall StartPreprocessor(string artifactName) =>
        Start(PreprocessorSpanName, ActivityKind.Internal, TelemetryTags.ArtifactName, artifactName, _metrics.PreprocessorDuration);

    /// <summary>Counts a delivered outcome (succeeded, failed or timed out, skipped) and records the time to the run's
    /// first success.</summary>
    public void Settled(ExtractionUpdate update)
    {
        var name = new KeyValuePair<string, object?>(TelemetryTags.ExtractorName, update.ExtractorName);
        switch (update.Status)
        {
            case ExtractionStatus.Succeeded:
                _metrics.ExtractorsCompleted.Add(1, name);
                if (Volatile.Read(ref _firstSucceeded) == 0 && Interlocked.Exchange(ref _firstSucceeded, 1) == 0)
                {
                    _metrics.ExtractionTimeToFirstResult.Record(update.Elapsed.TotalSeconds);
                }

                break;
            case ExtractionStatus.Failed or ExtractionStatus.TimedOut when _metrics.ExtractorsFailed.Enabled:
                _metrics.ExtractorsFailed.Add(
                    1,
                    name,
                    new KeyValuePair<string, object?>(TelemetryTags.ExtractionStatus, StatusName(update.Status)),
                    new KeyValuePair<string, object?>(TelemetryTags.ErrorType, update.Error is { } error ? Telemetry.ErrorType(error) : "_OTHER"));
                break;
            case ExtractionStatus.Skipped:
                _metrics.ExtractorsSkipped.Add(
                    1,
                    name,
                    new KeyValuePair<string, object?>(TelemetryTags.SkipReason, SkipReasonNames[(int)update.SkipReason]));
                break;
        }
    }

    private ExtractionCall Start(string spanName, ActivityKind kind, string nameTag, string name, Histogram<double> duration)
    {
        Activity? activity = null;
        if (_run is { } run && Telemetry.Source.HasListeners())
        {
            activity = Telemetry.Source.StartActivity(spanName, kind, run.Context);
            activity?.SetTag(nameTag, name);
        }

        var timed = duration.Enabled;
        return activity is null && !timed
            ? default
            : new ExtractionCall(activity, duration, _time, nameTag, name, timed, timed ? _time.GetTimestamp() : 0L);
    }
}
