using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using StreamingBeam.Samples.Web.Tests.Infrastructure;

namespace StreamingBeam.Samples.Web.Tests;

public sealed class ExtractionSocketTests
{
    [Fact]
    public async Task Socket_GatedExtractors_MessagesFollowTheDesignShapeInReleaseOrder()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines };
        using var socket = await Sockets.ConnectAsync(factory, ct);
        await Sockets.SendImageAsync(socket, TestImages.Gradient(), ct);

        var started = await Sockets.ReceiveAsync(socket, ct);
        Assert.Equal("started", (string)started!["stage"]!);
        Assert.Equal(2, (int)started["metadata"]!["extractors_total"]!);

        await engines.Gate.WaitForStartAsync("fast", ct);
        engines.Gate.Release("slow");
        var first = await Sockets.ReceiveAsync(socket, ct);
        Assert.Equal(1, engines.Gate.InFlight); // "fast" is still held: the message did not wait for it
        AssertUpdate(first!, "slow", completed: 1, isFinal: false);

        engines.Gate.Release("fast");
        var second = await Sockets.ReceiveAsync(socket, ct);
        AssertUpdate(second!, "fast", completed: 2, isFinal: true);

        var complete = await Sockets.ReceiveAsync(socket, ct);
        Assert.Equal("complete", (string)complete!["stage"]!);
        Assert.Equal("slow", (string)complete["tokens"]!["slow"]!["value"]!);
        Assert.Equal("fast", (string)complete["tokens"]!["fast"]!["value"]!);
        Assert.Equal(2, (int)complete["metadata"]!["extractors_succeeded"]!);

        Assert.Null(await Sockets.ReceiveAsync(socket, ct));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", ct);
    }

    [Fact]
    public async Task Socket_ClientClosesMidRun_CancelsEveryProviderCallAndForgetsTheRun()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines };
        using var socket = await Sockets.ConnectAsync(factory, ct);
        await Sockets.SendImageAsync(socket, TestImages.Gradient(), ct);
        Assert.Equal("started", (string)(await Sockets.ReceiveAsync(socket, ct))!["stage"]!);
        await engines.Gate.WaitForStartAsync("fast", ct);
        await engines.Gate.WaitForStartAsync("slow", ct);
        var run = Assert.Single(factory.Registry.Snapshot());

        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "leaving", ct);
        await run.Completion.WaitAsync(ct);

        Assert.Equal(0, engines.Gate.InFlight);
        Assert.Equal(["fast", "slow"], engines.Gate.Canceled.Order());
        Assert.Equal("client_disconnected", run.CancelReason);
    }

    [Fact]
    public async Task Socket_ConnectionDropsMidRun_CancelsEveryProviderCall()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines };

        // A real socket on Kestrel: the in-memory test server does not tell the server side about an abort.
        var address = factory.StartKestrel();
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{address.Authority}/ws/extraction"), ct);
        await Sockets.SendImageAsync(socket, TestImages.Gradient(), ct);
        Assert.Equal("started", (string)(await Sockets.ReceiveAsync(socket, ct))!["stage"]!);
        await engines.Gate.WaitForStartAsync("slow", ct);
        var run = Assert.Single(factory.Registry.Snapshot());

        socket.Abort();
        socket.Dispose();
        await run.Completion.WaitAsync(ct);

        Assert.Equal(0, engines.Gate.InFlight);
        Assert.Contains("slow", engines.Gate.Canceled);
    }

    [Fact]
    public async Task Socket_NotAnImage_SendsAn415ErrorAndClosesWithInvalidPayloadData()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines };
        using var socket = await Sockets.ConnectAsync(factory, ct);

        await Sockets.SendImageAsync(socket, Encoding.UTF8.GetBytes("GIF? no, just text"), ct);

        var error = await Sockets.ReceiveAsync(socket, ct);
        AssertError(error!, 415, "not a decodable image");
        Assert.Null(await Sockets.ReceiveAsync(socket, ct));
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, socket.CloseStatus);
        Assert.Equal(0, engines.Created);
    }

    [Fact]
    public async Task Socket_ImageOverTheLimit_SendsA413ErrorAndClosesWithMessageTooBig()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines }.With("MaxUploadBytes", "1000");
        using var socket = await Sockets.ConnectAsync(factory, ct);

        await Sockets.SendImageAsync(socket, new byte[5000], ct);

        AssertError((await Sockets.ReceiveAsync(socket, ct))!, 413, "limit of 1,000 bytes");
        Assert.Null(await Sockets.ReceiveAsync(socket, ct));
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, socket.CloseStatus);
        Assert.Equal(0, engines.Created);
    }

    [Fact]
    public async Task Socket_TextInsteadOfAnImage_SendsA400ErrorAndClosesWithPolicyViolation()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines };
        using var socket = await Sockets.ConnectAsync(factory, ct);

        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"image\": \"...\"}"), WebSocketMessageType.Text, true, ct);

        AssertError((await Sockets.ReceiveAsync(socket, ct))!, 400, "binary WebSocket message");
        Assert.Null(await Sockets.ReceiveAsync(socket, ct));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
        Assert.Equal(0, engines.Created);
    }

    [Fact]
    public async Task Socket_PlainHttpGet_Returns400Problem()
    {
        var ct = Timeouts.Token();
        await using var factory = new WebSampleFactory { Extraction = new GatedExtraction() };
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/ws/extraction", ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("WebSocket endpoint", (string)(await Api.ReadProblemAsync(response, ct))["detail"]!, StringComparison.Ordinal);
    }

    private static void AssertUpdate(JsonObject message, string extractor, int completed, bool isFinal)
    {
        Assert.Equal(["stage", "tokens", "metadata"], message.Select(p => p.Key));
        Assert.Equal("extractor_complete", (string)message["stage"]!);
        Assert.Equal(extractor, (string)message["tokens"]![extractor]!["value"]!);
        var metadata = message["metadata"]!.AsObject();
        Assert.Equal(extractor, (string)metadata["extractor"]!);
        Assert.Equal("succeeded", (string)metadata["status"]!);
        Assert.True((double)metadata["elapsed_ms"]! >= 0);
        Assert.Equal(completed, (int)metadata["extractors_completed"]!);
        Assert.Equal(2, (int)metadata["extractors_total"]!);
        Assert.Equal(isFinal, (bool)metadata["is_final"]!);
    }

    private static void AssertError(JsonObject message, int status, string expected)
    {
        Assert.Equal("error", (string)message["stage"]!);
        Assert.Equal(status, (int)message["error"]!["status"]!);
        Assert.Contains(expected, (string)message["error"]!["detail"]!, StringComparison.Ordinal);
    }
}
