using System.Diagnostics;

namespace StreamingBeam.Diagnostics;

/// <summary>The spans and measurements of one beam search.</summary>
/// <remarks>
/// <para>
/// The engine calls in at a few points (the search, each iteration, each candidate lane, each provider call, each
/// scored or failed candidate) with one line each, so the instrumentation stays out of the scheduling code. Spans form
/// the tree search → iteration → candidate → provider call; a critique, shared by a parent's children, is a provider
/// call under the iteration.
/// </para>
/// <para>
/// With no listener attached, every call is a check of <see cref="ActivitySource.HasListeners"/> and
/// <see cref="System.Diagnostics.Metrics.Instrument.Enabled"/> and allocates nothing; tags are built only for spans that
/// record them.
/// </para>
/// </remarks>
internal sealed class BeamTelemetry
{
    public const string SearchSpanName = "streamingbeam.beam.search";
    public const string IterationSpanName = "streamingbeam.beam.iteration";
    public const string CandidateSpanName = "streamingbeam.beam.candidate";

    /// <summary>The provider-call span name of each stage, indexed by <see cref="BeamStage"/>.</summary>
    private static readonly string[] CallSpanNames =
    [
        "streamingbeam.beam.expand",
        "streamingbeam.beam.critique",
        "streamingbeam.beam.refine",
        "streamingbeam.beam.combine",
        "streamingbeam.beam.image",
        "streamingbeam.beam.alignment",
        "streamingbeam.beam.aesthetic",
    ];

    /// <summary>The <c>streamingbeam.stage</c> value of each stage, indexed by <see cref="BeamStage"/>.</summary>
    private static readonly string[] StageNames = ["expand", "critique", "refine", "combine", "image", "alignment", "aesthetic"];

    private readonly StreamingBeamMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private int _firstScored;

    public BeamTelemetry(StreamingBeamMetrics metrics, TimeProvider time, long startTimestamp)
    {
        _metrics = metrics;
        _time = time;
        _startTimestamp = startTimestamp;
    }

    internal StreamingBeamMetrics Metrics => _metrics;

    internal TimeProvider Time => _time;

    /// <summary>Gets the <c>streamingbeam.stage</c> tag value of <paramref name="stage"/>.</summary>
    public static string StageName(BeamStage stage) => StageNames[(int)stage];

    /// <summary>Gets the <c>gen_ai.operation.name</c> of a stage: image generation is <c>generate_content</c>; the
    /// language model's and the vision scorer's calls are <c>chat</c>.</summary>
    public static string OperationName(BeamStage stage) => stage == BeamStage.Image ? "generate_content" : "chat";

    /// <summary>Starts the span of the whole search; it becomes the ambient parent of the iterations.</summary>
    public static Activity? StartSearch(BeamSearchOptions options)
    {
        if (!Telemetry.Source.HasListeners())
        {
            return null;
        }

        var activity = Telemetry.Source.StartActivity(SearchSpanName, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(TelemetryTags.BeamWidth, options.BeamWidth);
            activity.SetTag(TelemetryTags.KeepTop, options.KeepTop);
            activity.SetTag(TelemetryTags.MaxIterations, options.MaxIterations);
        }

        return activity;
    }

    /// <summary>Records the outcome of a search that completed on its span.</summary>
    public static void SearchCompleted(Activity? search, BeamSearchResult result)
    {
        if (search is { IsAllDataRequested: true })
        {
            search.SetTag(TelemetryTags.StopReason, result.StopReason.ToString());
            search.SetTag(TelemetryTags.IterationsCompleted, result.Iterations);
            search.SetTag(TelemetryTags.CandidatesScored, result.CandidatesScored);
            search.SetTag(TelemetryTags.CandidatesFailed, result.CandidatesFailed);
        }
    }

    /// <summary>Marks a span failed (or canceled) with the exception's type. Never records the message.</summary>
    public static void Failed(Activity? activity, Exception exception)
    {
        if (activity is not null)
        {
            Telemetry.SetError(activity, exception);
        }
    }

    /// <summary>Starts the span of one iteration, under <paramref name="parent"/> or, by default, the ambient span.</summary>
    public static Activity? StartIteration(int iteration, ActivityContext parent = default)
    {
        if (!Telemetry.Source.HasListeners())
        {
            return null;
        }

        var activity = Telemetry.Source.StartActivity(IterationSpanName, ActivityKind.Internal, parent);
        activity?.SetTag(TelemetryTags.Iteration, iteration);
        return activity;
    }

    /// <summary>Starts the span of one candidate lane, under <paramref name="parent"/> or, by default, the ambient span
    /// (the iteration's); it becomes the ambient parent of the lane's provider calls.</summary>
    public static Activity? StartCandidate(string id, string? parentId, int iteration, ActivityContext parent = default)
    {
        if (!Telemetry.Source.HasListeners())
        {
            return null;
        }

        var activity = Telemetry.Source.StartActivity(CandidateSpanName, ActivityKind.Internal, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(TelemetryTags.CandidateId, id);
            activity.SetTag(TelemetryTags.Iteration, iteration);
            if (parentId is not null)
            {
                activity.SetTag(TelemetryTags.ParentCandidateId, parentId);
            }
        }

        return activity;
    }

    /// <summary>Starts one provider call (one attempt): a client span under the ambient span and a clock for the stage
    /// duration. Dispose the returned scope when the call ends; report failures to it first.</summary>
    public BeamProviderCall StartProviderCall(BeamStage stage, string candidateId)
    {
        var activity = Telemetry.Source.HasListeners()
            ? Telemetry.Source.StartActivity(CallSpanNames[(int)stage], ActivityKind.Client)
            : null;
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(TelemetryTags.GenAiOperationName, OperationName(stage));
            activity.SetTag(TelemetryTags.Stage, StageName(stage));
            activity.SetTag(TelemetryTags.CandidateId, candidateId);
        }

        var timed = _metrics.StageDuration.Enabled;
        return activity is null && !timed ? default : new BeamProviderCall(this, activity, stage, timed, timed ? _time.GetTimestamp() : 0L);
    }

    /// <summary>Counts a scored candidate, records the time to the search's first one, and tags the candidate's span.</summary>
    public void CandidateScored(BeamCandidate candidate)
    {
        _metrics.CandidatesScored.Add(1);
        if (Volatile.Read(ref _firstScored) == 0 && Interlocked.Exchange(ref _firstScored, 1) == 0 && _metrics.BeamTimeToFirstResult.Enabled)
        {
            _metrics.BeamTimeToFirstResult.Record(_time.GetElapsedTime(_startTimestamp).TotalSeconds);
        }

        if (CurrentCandidateSpan() is { IsAllDataRequested: true } span)
        {
            span.SetTag(TelemetryTags.CandidateTotal, candidate.Total);
        }
    }

    /// <summary>Counts a failed candidate by stage and error type, and marks the candidate's span failed.</summary>
    public void CandidateFailed(BeamStage stage, Exception exception)
    {
        if (_metrics.CandidatesFailed.Enabled)
        {
            _metrics.CandidatesFailed.Add(
                1,
                new KeyValuePair<string, object?>(TelemetryTags.Stage, StageName(stage)),
                new KeyValuePair<string, object?>(TelemetryTags.ErrorType, Telemetry.ErrorType(exception)));
        }

        if (CurrentCandidateSpan() is { } span)
        {
            Telemetry.SetError(span, exception);
            span.SetTag(TelemetryTags.Stage, StageName(stage));
        }
    }

    // The lane's span is the ambient one where a lane reports its outcome.
    private static Activity? CurrentCandidateSpan() =>
        Activity.Current is { } current && ReferenceEquals(current.Source, Telemetry.Source) && current.OperationName == CandidateSpanName
            ? current
            : null;
}
