using System.Diagnostics;

namespace StreamingBeam.Diagnostics;

/// <summary>One provider call of a beam search in flight: its span and the start of its stage-duration measurement.</summary>
/// <remarks>A mutable struct held in a local of the calling method and disposed exactly once; the default value (no
/// listener) does nothing.</remarks>
internal struct BeamProviderCall : IDisposable
{
    private readonly BeamTelemetry? _owner;
    private readonly Activity? _activity;
    private readonly BeamStage _stage;
    private readonly long _startTimestamp;
    private readonly bool _timed;
    private string? _errorType;

    internal BeamProviderCall(BeamTelemetry owner, Activity? activity, BeamStage stage, bool timed, long startTimestamp)
    {
        _owner = owner;
        _activity = activity;
        _stage = stage;
        _timed = timed;
        _startTimestamp = startTimestamp;
    }

    /// <summary>Records the usage that the provider reported on the span, and passes the result through.</summary>
    public readonly T Succeeded<T>(T result)
    {
        if (_activity is { IsAllDataRequested: true })
        {
            var usage = result switch
            {
                LlmResponse text => text.Usage,
                VisionScore score => score.Usage,
                GeneratedImage image => image.Usage,
                _ => default,
            };

            if (usage.InputTokens != 0)
            {
                _activity.SetTag(TelemetryTags.GenAiInputTokens, usage.InputTokens);
            }

            if (usage.OutputTokens != 0)
            {
                _activity.SetTag(TelemetryTags.GenAiOutputTokens, usage.OutputTokens);
            }
        }

        return result;
    }

    /// <summary>Records that the call failed with <paramref name="exception"/> (its type only).</summary>
    public void Failed(Exception exception)
    {
        if (_owner is null)
        {
            return;
        }

        _errorType = Telemetry.ErrorType(exception);
        if (_activity is not null)
        {
            Telemetry.SetError(_activity, exception);
        }
    }

    /// <summary>Records the stage duration and ends the span.</summary>
    public readonly void Dispose()
    {
        if (_owner is null)
        {
            return;
        }

        if (_timed)
        {
            var tags = new TagList
            {
                { TelemetryTags.Stage, BeamTelemetry.StageName(_stage) },
                { TelemetryTags.GenAiOperationName, BeamTelemetry.OperationName(_stage) },
            };
            if (_errorType is not null)
            {
                tags.Add(TelemetryTags.ErrorType, _errorType);
            }

            _owner.Metrics.StageDuration.Record(_owner.Time.GetElapsedTime(_startTimestamp).TotalSeconds, tags);
        }

        _activity?.Dispose();
    }
}
