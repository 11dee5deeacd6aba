using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;

namespace StreamingBeam.Samples.Web.Tests.Infrastructure;

/// <summary>The WebSocket side of the tests: connect in memory, send an image, read JSON messages.</summary>
internal static class Sockets
{
    public static Task<WebSocket> ConnectAsync(WebApplicationFactory<Program> factory, CancellationToken cancellationToken) =>
        factory.Server.CreateWebSocketClient().ConnectAsync(new Uri(factory.Server.BaseAddress, "/ws/extraction"), cancellationToken);

    public static Task SendImageAsync(WebSocket socket, byte[] image, CancellationToken cancellationToken) =>
        socket.SendAsync(image, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);

    /// <summary>Reads the next text message as JSON, or returns <see langword="null"/> when the server closes.</summary>
    public static async Task<JsonObject?> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            Assert.Equal(WebSocketMessageType.Text, result.MessageType);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonNode.Parse(Encoding.UTF8.GetString(message.ToArray()))!.AsObject();
            }
        }
    }
}
