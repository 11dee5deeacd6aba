using System.Globalization;
using Microsoft.Extensions.Options;
using StreamingBeam.Samples.Web.Hosting;
using StreamingBeam.Samples.Web.Runs;

namespace StreamingBeam.Samples.Web.Http;

/// <summary>The endpoints every kind of run shares: its event stream with replay, its cancellation, and a list of runs.</summary>
internal static class RunEndpoints
{
    public const string LastEventIdHeader = "Last-Event-ID";

    /// <summary>How soon a browser reconnects after a dropped stream (the SSE <c>retry:</c> field).</summary>
    public static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    /// <summary>Maps <c>GET {group}/{runId}/events</c> and <c>DELETE {group}/{runId}</c> for runs of <paramref name="kind"/>.</summary>
    public static RouteGroupBuilder MapRunStreams(this RouteGroupBuilder group, RunKind kind)
    {
        group.MapGet("/{runId}/events", (string runId, HttpContext context, RunRegistry registry, IOptions<WebSampleOptions> options) =>
        {
            var run = registry.Find(runId);
            if (run is null || run.Kind != kind)
            {
                return NoSuchRun(kind, runId, options.Value);
            }

            if (!TryGetLastEventId(context.Request, out var afterId, out var problem))
            {
                return Problems.BadRequest(problem);
            }

            // Nothing left to send, ever: 204 tells an EventSource to stop reconnecting.
            if (run.IsFinished && afterId >= run.LastEventId)
            {
                return TypedResults.NoContent();
            }

            return new ServerSentEventsResult(run, afterId, ReconnectDelay);
        });

        // What became of a run: a page whose event stream failed asks here whether the run is gone (404) or ended.
        group.MapMethods("/{runId}", [HttpMethods.Get, HttpMethods.Head], (string runId, RunRegistry registry, IOptions<WebSampleOptions> options) =>
            registry.Find(runId) is { } run && run.Kind == kind
                ? TypedResults.Json(Describe(run))
                : NoSuchRun(kind, runId, options.Value));

        group.MapDelete("/{runId}", async (string runId, HttpContext context, RunRegistry registry, IOptions<WebSampleOptions> options) =>
        {
            var run = registry.Find(runId);
            if (run is null || run.Kind != kind)
            {
                return NoSuchRun(kind, runId, options.Value);
            }

            run.Cancel(CancelReasons.Deleted);

            // Answer once the work has stopped: every provider call has ended when the client hears 204.
            await run.Completion.WaitAsync(context.RequestAborted);
            return TypedResults.NoContent();
        });

        return group;
    }

    /// <summary>Maps <c>GET /api/runs</c>: the runs the server keeps, for a look at what is running.</summary>
    public static void MapRunList(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapMethods("/api/runs", [HttpMethods.Get, HttpMethods.Head], (RunRegistry registry) => TypedResults.Json(registry.Snapshot().Select(Describe)));

    private static Dictionary<string, object?> Describe(StreamRun run) => new()
    {
        ["run_id"] = run.Id,
        ["kind"] = run.Kind == RunKind.Beam ? "beam" : "extraction",
        ["state"] = StateOf(run),
        ["events"] = run.EventCount,
        ["clients"] = run.Subscribers,
        ["cancel_reason"] = run.CancelReason,
    };

    /// <summary>A run's state for people and clients: <c>receiving</c> (its upload is still arriving or being checked),
    /// <c>running</c>, <c>finished</c> or <c>canceled</c>.</summary>
    public static string StateOf(StreamRun run) =>
        !run.IsStarted && !run.IsFinished ? "receiving" : !run.IsFinished ? "running" : run.CancelReason is null ? "finished" : "canceled";

    public static IResult Created(StreamRun run, string collectionPath)
    {
        var runUrl = $"{collectionPath}/{run.Id}";
        var eventsUrl = $"{runUrl}/events";
        return TypedResults.Created(eventsUrl, new Dictionary<string, string>
        {
            ["run_id"] = run.Id,
            ["events_url"] = eventsUrl,
            ["cancel_url"] = runUrl,
        });
    }

    /// <summary>Reads where a client left off: the <c>Last-Event-ID</c> header (sent by a reconnecting EventSource) or
    /// the <c>lastEventId</c> query parameter (for a new EventSource that resumes, e.g. after a page reload).</summary>
    public static bool TryGetLastEventId(HttpRequest request, out long afterId, out string problem)
    {
        afterId = 0;
        problem = string.Empty;
        string? text = request.Headers[LastEventIdHeader].FirstOrDefault();
        var source = LastEventIdHeader;
        if (string.IsNullOrEmpty(text))
        {
            text = request.Query["lastEventId"].FirstOrDefault();
            source = "lastEventId";
        }

        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out afterId))
        {
            return true;
        }

        problem = $"{source} must be an event id this server sent (a whole number of 0 or more); got '{text}'.";
        return false;
    }

    private static IResult NoSuchRun(RunKind kind, string runId, WebSampleOptions options) => Problems.NotFound(
        string.Create(CultureInfo.InvariantCulture, $"There is no {(kind == RunKind.Beam ? "beam" : "extraction")} run '{runId}': it never existed, or it finished more than {options.FinishedRunRetention.TotalMinutes:0.#} minutes ago and was dropped."));
}
