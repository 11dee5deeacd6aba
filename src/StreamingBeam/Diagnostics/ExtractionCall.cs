using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace StreamingBeam.Diagnostics;

/// <summary>One extractor call or artifact computation in flight: its span and the start of its duration measurement.</summary>
/// <remarks>A mutable struct held in a local of the calling method. <see cref="Succeeded"/>, <see cref="Failed"/> and
/// <see cref="Canceled"/> end the call (before the engine records the outcome, which may start other extractors
/// inline); <see cref="Dispose"/> ends it only if none of them did. The default value (no listener) does nothing.</remarks>
internal struct ExtractionCall : IDisposable
{
    private readonly Activity? _activity;
    private readonly Histogram<double>? _duration;
    private readonly TimeProvider? _time;
    private readonly string? _nameTag;
    private readonly string? _name;
    private readonly bool _timed;
    private readonly long _startTimestamp;
    private string? _status;
    private string? _errorType;
    private bool _ended;

    internal ExtractionCall(Activity? activity, Histogram<double> duration, TimeProvider time, string nameTag, string name, bool timed, long startTimestamp)
    {
        _activity = activity;
        _duration = duration;
        _time = time;
        _nameTag = nameTag;
        _name = name;
        _timed = timed;
        _startTimestamp = startTimestamp;
    }

    /// <summary>Ends the call as succeeded, with the usage the extractor reported.</summary>
    public void Succeeded(ProviderUsage usage)
    {
        if (_duration is null)
        {
            return;
        }

        _status = "succeeded";
        if (_activity is { IsAllDataRequested: true })
        {
            _activity.SetTag(TelemetryTags.ExtractionStatus, _status);
            if (usage.InputTokens != 0)
            {
                _activity.SetTag(TelemetryTags.GenAiInputTokens, usage.InputTokens);
            }

            if (usage.OutputTokens != 0)
            {
                _activity.SetTag(TelemetryTags.GenAiOutputTokens, usage.OutputTokens);
            }
        }

        End();
    }

    /// <summary>Ends the call as failed (<paramref name="status"/> is <c>failed</c> or <c>timed_out</c>) with the error's type.</summary>
    public void Failed(ExtractionStatus status, Exception exception)
    {
        if (_duration is null)
        {
            return;
        }

        _status = ExtractionTelemetry.StatusName(status);
        _errorType = Telemetry.ErrorType(exception);
        if (_activity is not null)
        {
            Telemetry.SetError(_activity, exception);
            _activity.SetTag(TelemetryTags.ExtractionStatus, _status);
        }

        End();
    }

    /// <summary>Ends the call as canceled by the run. Not an error of the call.</summary>
    public void Canceled()
    {
        if (_duration is null)
        {
            return;
        }

        _status = ExtractionTelemetry.CanceledStatus;
        _activity?.SetTag(TelemetryTags.ExtractionStatus, _status);
        End();
    }

    /// <summary>Ends the call if nothing else did.</summary>
    public void Dispose()
    {
        if (_duration is not null)
        {
            End();
        }
    }

    private void End()
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        if (_timed)
        {
            var tags = new TagList { { _nameTag!, _name } };
            if (_status is not null)
            {
                tags.Add(TelemetryTags.ExtractionStatus, _status);
            }

            if (_errorType is not null)
            {
                tags.Add(TelemetryTags.ErrorType, _errorType);
            }

            _duration!.Record(_time!.GetElapsedTime(_startTimestamp).TotalSeconds, tags);
        }

        _activity?.Dispose();
    }
}
