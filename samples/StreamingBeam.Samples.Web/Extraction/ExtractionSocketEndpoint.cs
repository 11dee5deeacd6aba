using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Options;
using StreamingBeam.Samples.Web.Hosting;
using StreamingBeam.Samples.Web.Http;
using StreamingBeam.Samples.Web.Runs;

namespace StreamingBeam.Samples.Web.Extraction;

/// <summary>Extraction over one WebSocket: the client sends the image as one binary message, the server answers
/// with one JSON text message per stage (see <see cref="ExtractionMessages"/>) and closes. Closing the socket early
/// cancels the run.</summary>
internal static partial class ExtractionSocketEndpoint
{
    public const string Path = "/ws/extraction";

    /// <summary>How long the server waits for the client's half of the closing handshake.</summary>
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    public static void MapExtractionSocket(this IEndpointRouteBuilder endpoints) => endpoints.Map(Path, HandleAsync);

    private static async Task<IResult> HandleAsync(
        HttpContext context,
        RunRegistry registry,
        IExtractionEngineFactory engines,
        IOptions<WebSampleOptions> options,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return Problems.BadRequest($"{Path} is a WebSocket endpoint: connect with a WebSocket client, send the image as one binary message, and read one JSON message per stage.");
        }

        var logger = loggerFactory.CreateLogger(typeof(ExtractionSocketEndpoint));
        var aborted = context.RequestAborted;
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        try
        {
            var (data, receiveProblem) = await ReceiveImageAsync(socket, options.Value.MaxUploadBytes, aborted);
            if (data is null && receiveProblem is null)
            {
                return TypedResults.Empty; // The client closed before sending anything.
            }

            var (input, problem) = receiveProblem is null ? ImageUpload.Check(data, "upload", null, options.Value.MaxUploadBytes) : (null, receiveProblem);
            if (problem is not null)
            {
                await RejectAsync(socket, problem.Status, "The upload was rejected.", problem.Detail, timeProvider, aborted);
                return TypedResults.Empty;
            }

            var work = new ExtractionWork(engines.Create(), input!, loggerFactory.CreateLogger<ExtractionWork>());
            var run = registry.TryCreate(RunKind.Extraction);
            if (run is null)
            {
                await RejectAsync(socket, StatusCodes.Status503ServiceUnavailable, "Too many runs in progress.", "All kept runs are still running; try again shortly.", timeProvider, aborted);
                return TypedResults.Empty;
            }

            await StreamRunAsync(socket, run, work, registry, timeProvider, aborted);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or TimeoutException)
        {
            LogSocketClosed(logger, ex.Message);
        }

        return TypedResults.Empty;
    }

    private static async Task StreamRunAsync(WebSocket socket, StreamRun run, ExtractionWork work, RunRegistry registry, TimeProvider timeProvider, CancellationToken aborted)
    {
        var lease = run.Attach();
        run.Start(work.RunAsync);

        // From here on the watcher is the socket's only reader: a close frame, or a dropped connection, cancels the run.
        var clientGone = WatchClientAsync(socket, run, aborted);
        try
        {
            await foreach (var item in run.ReadAsync(0, aborted))
            {
                if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
                {
                    break;
                }

                await socket.SendAsync(Encoding.UTF8.GetBytes(item.Data), WebSocketMessageType.Text, endOfMessage: true, aborted);
            }

            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, run.CancelReason is null ? "done" : "canceled", aborted);
            }

            await clientGone.WaitAsync(CloseTimeout, timeProvider, aborted);
        }
        finally
        {
            // Whatever ended the conversation, the run ends with it, and nothing it started outlives this request.
            run.Cancel(CancelReasons.ClientDisconnected);
            await run.Completion;
            lease.Dispose();
            registry.Remove(run);
        }
    }

    private static async Task WatchClientAsync(WebSocket socket, StreamRun run, CancellationToken aborted)
    {
        await DrainUntilCloseAsync(socket, aborted);
        run.Cancel(CancelReasons.ClientDisconnected);
    }

    /// <summary>Reads and discards messages until the client closes or the connection drops.</summary>
    private static async Task DrainUntilCloseAsync(WebSocket socket, CancellationToken aborted)
    {
        var buffer = new byte[4096];
        try
        {
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var result = await socket.ReceiveAsync(buffer, aborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The connection dropped: that ends the conversation as surely as a close frame.
        }
    }

    private static async Task<(byte[]? Data, UploadProblem? Problem)> ReceiveImageAsync(WebSocket socket, long maxBytes, CancellationToken aborted)
    {
        using var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, aborted);
            switch (result.MessageType)
            {
                case WebSocketMessageType.Close:
                    return (null, null);
                case WebSocketMessageType.Text:
                    return (null, new UploadProblem(StatusCodes.Status400BadRequest, "Send the image as one binary WebSocket message; text messages are not accepted."));
            }

            if (received.Length + result.Count > maxBytes)
            {
                return (null, ImageUpload.TooLarge(0, maxBytes));
            }

            received.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (received.ToArray(), null);
            }
        }
    }

    private static async Task RejectAsync(WebSocket socket, int status, string title, string detail, TimeProvider timeProvider, CancellationToken aborted)
    {
        var message = ExtractionMessages.ForError(status, title, detail).ToJsonString();
        await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, aborted);
        var closeStatus = status switch
        {
            StatusCodes.Status413PayloadTooLarge => WebSocketCloseStatus.MessageTooBig,
            StatusCodes.Status415UnsupportedMediaType => WebSocketCloseStatus.InvalidPayloadData,
            StatusCodes.Status503ServiceUnavailable => (WebSocketCloseStatus)1013, // Try Again Later (RFC 6455 registry)
            _ => WebSocketCloseStatus.PolicyViolation,
        };
        await socket.CloseOutputAsync(closeStatus, title, aborted);

        // The client may still be sending the rest of an oversized image: read it away until its close frame.
        await DrainUntilCloseAsync(socket, aborted).WaitAsync(CloseTimeout, timeProvider, aborted);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Extraction WebSocket closed: {Reason}")]
    private static partial void LogSocketClosed(ILogger logger, string reason);
}
