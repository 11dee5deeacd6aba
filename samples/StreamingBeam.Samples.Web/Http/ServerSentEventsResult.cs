using System.Text;
using Microsoft.AspNetCore.Http.Features;
using StreamingBeam.Samples.Web.Runs;

namespace StreamingBeam.Samples.Web.Http;

/// <summary>Streams a run's events as Server-Sent Events, from the one after <c>afterId</c>, following the run live
/// until it finishes.</summary>
/// <remarks>
/// Each event is written as <c>id:</c>, <c>event:</c> and one <c>data:</c> line (the payload is single-line JSON),
/// then a blank line, and flushed at once. The stream opens with a <c>retry:</c> field so a browser reconnects
/// quickly after a dropped connection, sending back the last id it saw as <c>Last-Event-ID</c>. While the response
/// is open the client counts as attached to the run, which stops the run's abandonment timer.
/// </remarks>
internal sealed class ServerSentEventsResult(StreamRun run, long afterId, TimeSpan retry) : IResult
{
    public const string ContentType = "text/event-stream";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var aborted = httpContext.RequestAborted;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        using var lease = run.Attach();
        try
        {
            await response.WriteAsync($"retry: {(long)retry.TotalMilliseconds}\n\n", aborted);
            await response.Body.FlushAsync(aborted);
            await foreach (var item in run.ReadAsync(afterId, aborted))
            {
                await response.WriteAsync(Format(item), aborted);
                await response.Body.FlushAsync(aborted);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away; the lease's disposal starts the run's grace timer.
        }
    }

    public static string Format(RunEvent item)
    {
        var builder = new StringBuilder(item.Data.Length + item.Type.Length + 32);
        builder.Append("id: ").Append(item.Id).Append('\n');
        builder.Append("event: ").Append(item.Type).Append('\n');
        builder.Append("data: ").Append(item.Data).Append('\n');
        builder.Append('\n');
        return builder.ToString();
    }
}
