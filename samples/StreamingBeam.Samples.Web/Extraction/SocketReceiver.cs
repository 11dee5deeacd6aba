using System.Globalization;
using System.Net.WebSockets;
using StreamingBeam.Samples.Web.Hosting;

namespace StreamingBeam.Samples.Web.Extraction;

/// <summary>The receiving half of an extraction WebSocket: the image, within a byte cap and two time limits, then
/// whatever the client sends until it closes.</summary>
/// <remarks>
/// <para>The cap counts every frame of the message, so a fragmented upload is held to it as a whole one is, and the
/// buffer grows with what arrived rather than being sized by a claim. The time limits are
/// <see cref="WebSampleOptions.SocketIdleTimeout"/> (between frames) and <see cref="WebSampleOptions.SocketUploadTimeout"/>
/// (the whole image), on the injected <see cref="TimeProvider"/>.</para>
/// <para>A timed-out receive is not canceled, because canceling a WebSocket receive aborts the socket and the client
/// would get no reason; it is left pending while the error message and close frame go out, and
/// <see cref="DrainUntilCloseAsync"/> picks it up.</para>
/// </remarks>
internal sealed class SocketReceiver(WebSocket socket, WebSampleOptions options, TimeProvider timeProvider)
{
    private const int ChunkBytes = 16 * 1024;

    private readonly byte[] _chunk = new byte[ChunkBytes];
    private Task<WebSocketReceiveResult>? _pending;

    /// <summary>Receives the image: its bytes, or the problem that rejects it, or neither when the client closed first.</summary>
    public async Task<(byte[]? Data, UploadProblem? Problem)> ReceiveImageAsync(CancellationToken aborted)
    {
        var started = timeProvider.GetTimestamp();
        var max = options.MaxUploadBytes;
        var data = new byte[(int)Math.Min(max, 64 * 1024)];
        var length = 0;
        while (true)
        {
            var left = options.SocketUploadTimeout - timeProvider.GetElapsedTime(started);
            var idle = left > options.SocketIdleTimeout;
            var receive = socket.ReceiveAsync(new ArraySegment<byte>(_chunk), aborted);
            WebSocketReceiveResult result;
            try
            {
                result = await receive.WaitAsync(idle ? options.SocketIdleTimeout : Max(left, TimeSpan.Zero), timeProvider, aborted);
            }
            catch (TimeoutException)
            {
                _pending = receive;
                return (null, TimedOut(idle, length));
            }

            switch (result.MessageType)
            {
                case WebSocketMessageType.Close:
                    return (null, null);
                case WebSocketMessageType.Text:
                    return (null, new UploadProblem(StatusCodes.Status400BadRequest, "Send the image as one binary WebSocket message; text messages are not accepted."));
            }

            if ((long)length + result.Count > max)
            {
                return (null, ImageUpload.TooLarge(0, max));
            }

            if (length + result.Count > data.Length)
            {
                Array.Resize(ref data, (int)Math.Min(max, Math.Max((long)data.Length * 2, length + result.Count)));
            }

            _chunk.AsSpan(0, result.Count).CopyTo(data.AsSpan(length));
            length += result.Count;
            if (result.EndOfMessage)
            {
                return (length == data.Length ? data : data[..length], null);
            }
        }
    }

    /// <summary>Reads and discards messages until the client closes or the connection drops.</summary>
    public async Task DrainUntilCloseAsync(CancellationToken aborted)
    {
        try
        {
            if (_pending is { } pending)
            {
                _pending = null;
                if ((await pending).MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }

            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var result = await socket.ReceiveAsync(new ArraySegment<byte>(_chunk), aborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection dropped: that ends the conversation as surely as a close frame.
        }
    }

    private UploadProblem TimedOut(bool idle, int received) => new(
        StatusCodes.Status408RequestTimeout,
        idle
            ? string.Create(CultureInfo.InvariantCulture, $"No part of the image arrived for {options.SocketIdleTimeout.TotalSeconds:0.#} s ({received:N0} bytes so far); send it as one binary message right after connecting.")
            : string.Create(CultureInfo.InvariantCulture, $"The image did not arrive in full within {options.SocketUploadTimeout.TotalSeconds:0.#} s ({received:N0} bytes so far)."));

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
