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

    /// <summary>The query parameter that names the image (its file name), for the <c>started</c> message.</summary>
    public const string NameParameter = "name";

    private const int MaxNameLength = 255;

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

        var name = context.Request.Query[NameParameter].ToString();
        if (name.Length > MaxNameLength || name.AsSpan().IndexOfAnyInRange('\0', '\u001F') >= 0)
        {
            return Problems.BadRequest($"The '{NameParameter}' query parameter is the image's file name: at most {MaxNameLength} characters, no control characters.");
        }

        var settings = options.Value;
        var logger = loggerFactory.CreateLogger(typeof(ExtractionSocketEndpoint));
        var aborted = context.RequestAborted;

        // The socket holds its place among the kept runs from the handshake on: while its image arrives it buffers up
        // to MaxUploadBytes, so sockets must be bounded by MaxRuns as runs are.
        var run = registry.TryCreate(RunKind.Extraction);
        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var receiver = new SocketReceiver(socket, settings, timeProvider);
            if (run is null)
            {
                await RejectAsync(socket, receiver, StatusCodes.Status503ServiceUnavailable, "Too many runs in progress.", $"The server keeps at most {settings.MaxRuns} runs (uploads included) and all of them are still running; try again shortly.", timeProvider, aborted);
                return TypedResults.Empty;
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted, run.Token);
            var (data, receiveProblem) = await receiver.ReceiveImageAsync(stop.Token);
            if (data is null && receiveProblem is null)
            {
                return TypedResults.Empty; // The client closed before sending anything.
            }

            var (image, problem) = receiveProblem is null
                ? await ImageUpload.CheckAsync(data!, name.Length > 0 ? name : "upload", null, settings, stop.Token)
                : (null, receiveProblem);
            if (problem is not null)
            {
                await RejectAsync(socket, receiver, problem.Status, "The upload was rejected.", problem.Detail, timeProvider, aborted);
                return TypedResults.Empty;
            }

            var work = new ExtractionWork(engines.Create(image!.Image), image.Input, loggerFactory.CreateLogger<ExtractionWork>());
            await StreamRunAsync(socket, receiver, run, work, registry, timeProvider, aborted);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or TimeoutException)
        {
            LogSocketClosed(logger, ex.Message);
        }
        finally
        {
            if (run is not null && !run.IsStarted)
            {
                registry.Remove(run);
            }
        }

        return TypedResults.Empty;
    }

    private static async Task StreamRunAsync(WebSocket socket, SocketReceiver receiver, StreamRun run, ExtractionWork work, RunRegistry registry, TimeProvider timeProvider, CancellationToken aborted)
    {
        var lease = run.Attach();
        run.Start(work.RunAsync);

        // From here on the watcher is the socket's only reader: a close frame, or a dropped connection, cancels the run.
        var clientGone = WatchClientAsync(receiver, run, aborted);
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

    private static async Task WatchClientAsync(SocketReceiver receiver, StreamRun run, CancellationToken aborted)
    {
        await receiver.DrainUntilCloseAsync(aborted);
        run.Cancel(CancelReasons.ClientDisconnected);
    }

    private static async Task RejectAsync(WebSocket socket, SocketReceiver receiver, int status, string title, string detail, TimeProvider timeProvider, CancellationToken aborted)
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
        await receiver.DrainUntilCloseAsync(aborted).WaitAsync(CloseTimeout, timeProvider, aborted);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Extraction WebSocket closed: {Reason}")]
    private static partial void LogSocketClosed(ILogger logger, string reason);
}
