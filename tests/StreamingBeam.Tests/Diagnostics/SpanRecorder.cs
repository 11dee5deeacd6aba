using System.Collections.Concurrent;
using System.Diagnostics;

namespace StreamingBeam.Tests.Diagnostics;

/// <summary>Starts a root span of the test's own and records every StreamingBeam span of its trace, so tests running
/// in parallel in the same process (and their engines) never see each other's spans.</summary>
internal sealed class SpanRecorder : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public SpanRecorder()
    {
        Root = new Activity("test-root");
        Root.SetIdFormat(ActivityIdFormat.W3C);
        Root.Start();
        var traceId = Root.TraceId;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == StreamingBeamTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.TraceId == traceId ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == traceId)
                {
                    _stopped.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Gets the test's root span, the ambient span while the recorder lives.</summary>
    public Activity Root { get; }

    /// <summary>Gets the stopped spans of the test's trace.</summary>
    public IReadOnlyList<Activity> All => _stopped.ToArray();

    public IReadOnlyList<Activity> Named(string name) => All.Where(a => a.OperationName == name).ToArray();

    public void Dispose()
    {
        _listener.Dispose();
        Root.Stop();
    }
}

internal static class ActivityTestExtensions
{
    public static string? Tag(this Activity activity, string name) => activity.GetTagItem(name)?.ToString();

    public static IEnumerable<string> TagValues(this Activity activity) =>
        activity.TagObjects.Select(t => Convert.ToString(t.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
}
