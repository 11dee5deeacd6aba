using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using StreamingBeam.Samples.Web.Tests.Infrastructure;

namespace StreamingBeam.Samples.Web.Tests;

/// <summary>An extraction WebSocket is bounded before its image has arrived: in time (idle and total), in bytes
/// (every fragment counts), and in number (it holds a place among the kept runs).</summary>
public sealed class SocketLimitTests
{
    [Fact]
    public async Task Socket_SendsNothing_ClosedAtTheIdleLimitWithA408Error()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines };
        using var socket = await Sockets.ConnectAsync(factory, ct);

        var error = await ReceiveWhileTimePassesAsync(factory, socket, TimeSpan.FromSeconds(1), ct);

        Assert.Equal(408, (int)error["error"]!["status"]!);
        Assert.Contains("No part of the image arrived for 10 s", (string)error["error"]!["detail"]!, StringComparison.Ordinal);
        Assert.Null(await Sockets.ReceiveAsync(socket, ct));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", ct);
        await factory.WaitForRunCountAsync(0, ct);
        Assert.Equal(0, engines.Created);
    }

    [Fact]
    public async Task Socket_TricklesFragmentsWithinTheIdleLimit_ClosedAtTheTotalLimit()
    {
        var ct = Timeouts.Token();
        await using var factory = new WebSampleFactory { Extraction = new GatedExtraction() }
            .With("SocketIdleTimeout", "00:00:10")
            .With("SocketUploadTimeout", "00:00:30");
        using var socket = await Sockets.ConnectAsync(factory, ct);
        var receive = Sockets.ReceiveAsync(socket, ct);

        // A fragment every 6 s keeps the idle limit from firing; only the total limit can end this upload.
        var sent = 0;
        while (!receive.IsCompleted && sent < 20)
        {
            await socket.SendAsync(new byte[10], WebSocketMessageType.Binary, endOfMessage: false, ct);
            sent++;
            factory.Time.Advance(TimeSpan.FromSeconds(6));
            await Task.WhenAny(receive, Task.Delay(50, ct));
        }

        var error = (await receive.WaitAsync(ct))!;
        Assert.Equal(408, (int)error["error"]!["status"]!);
        Assert.Contains("did not arrive in full within 30 s", (string)error["error"]!["detail"]!, StringComparison.Ordinal);
        Assert.InRange(sent, 5, 20);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", ct);
    }

    [Fact]
    public async Task Socket_FragmentsAddUpOverTheCap_RejectedBeforeTheMessageEnds()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines }.With("MaxUploadBytes", "1000");
        using var socket = await Sockets.ConnectAsync(factory, ct);

        // Three frames of 400 bytes, none of them the last: each is under the cap, together they are over it.
        for (var i = 0; i < 3; i++)
        {
            await socket.SendAsync(new byte[400], WebSocketMessageType.Binary, endOfMessage: false, ct);
        }

        var error = (await Sockets.ReceiveAsync(socket, ct))!;
        Assert.Equal(413, (int)error["error"]!["status"]!);
        Assert.Contains("limit of 1,000 bytes", (string)error["error"]!["detail"]!, StringComparison.Ordinal);
        Assert.Null(await Sockets.ReceiveAsync(socket, ct));
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, socket.CloseStatus);
        Assert.Equal(0, engines.Created);
    }

    [Fact]
    public async Task Sockets_StillUploading_CountAgainstTheRunLimit()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines, Beam = new GatedBeam() }.With("MaxRuns", "2");
        using var client = factory.CreateClient();
        using var first = await Sockets.ConnectAsync(factory, ct);
        using var second = await Sockets.ConnectAsync(factory, ct);
        await first.SendAsync(new byte[500], WebSocketMessageType.Binary, endOfMessage: false, ct);
        await second.SendAsync(new byte[500], WebSocketMessageType.Binary, endOfMessage: false, ct);

        var runs = (await client.GetFromJsonAsync<JsonArray>("/api/runs", ct))!;
        Assert.Equal(["receiving", "receiving"], runs.Select(r => (string)r!["state"]!));

        using var third = await Sockets.ConnectAsync(factory, ct);
        var refused = (await Sockets.ReceiveAsync(third, ct))!;
        Assert.Equal(503, (int)refused["error"]!["status"]!);
        Assert.Null(await Sockets.ReceiveAsync(third, ct));
        Assert.Equal((WebSocketCloseStatus)1013, third.CloseStatus);
        using (var beam = await client.PostAsJsonAsync("/api/beam/runs", new { prompt = "a fox" }, ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, beam.StatusCode);
        }

        // A socket that leaves gives its place back.
        await first.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "leaving", ct);
        await factory.WaitForRunCountAsync(1, ct);
        await Api.CreateBeamAsync(client, new { prompt = "a fox", beam_width = 1, keep_top = 1, iterations = 1 }, ct);
        Assert.Equal(0, engines.Created);
    }

    [Fact]
    public async Task PostExtraction_ServerFull_Returns503BeforeReadingTheUpload()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines }.With("MaxRuns", "1");
        using var client = factory.CreateClient();
        using var holder = await Sockets.ConnectAsync(factory, ct);
        await factory.WaitForRunCountAsync(1, ct);

        using var form = Api.ImageForm(TestImages.Gradient());
        using var response = await client.PostAsync("/api/extraction/runs", form, ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(0, engines.Created);
    }

    /// <summary>Advances the fake clock step by step until the server sends a message; bounded by the token.</summary>
    private static async Task<JsonObject> ReceiveWhileTimePassesAsync(WebSampleFactory factory, WebSocket socket, TimeSpan step, CancellationToken ct)
    {
        var receive = Sockets.ReceiveAsync(socket, ct);
        while (!receive.IsCompleted)
        {
            factory.Time.Advance(step);
            await Task.WhenAny(receive, Task.Delay(50, ct));
        }

        return (await receive)!;
    }
}
