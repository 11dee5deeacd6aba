using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using StreamingBeam.Samples.Web.Tests.Infrastructure;

namespace StreamingBeam.Samples.Web.Tests;

/// <summary>Other websites cannot drive the sample through a visitor's browser: a foreign <c>Host</c> (DNS rebinding)
/// and a foreign <c>Origin</c> are refused, and both can be allowed by configuration.</summary>
public sealed class OriginTests
{
    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:5080")]
    public async Task AnyRequest_ForeignHost_Returns421NamingTheHostAndTheSetting(string host)
    {
        var ct = Timeouts.Token();
        await using var factory = new WebSampleFactory();
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/runs");
        request.Headers.Host = host;

        using var response = await client.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
        var detail = (string)(await Api.ReadProblemAsync(response, ct))["detail"]!;
        Assert.Contains("'evil.example'", detail, StringComparison.Ordinal);
        Assert.Contains("WebSample:AllowedHosts", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1:5080")]
    [InlineData("[::1]:5080")]
    public async Task AnyRequest_LoopbackHost_IsServed(string host)
    {
        var ct = Timeouts.Token();
        await using var factory = new WebSampleFactory();
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/runs");
        request.Headers.Host = host;

        using var response = await client.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AnyRequest_HostInAllowedHosts_IsServed()
    {
        var ct = Timeouts.Token();
        await using var factory = new WebSampleFactory().With("AllowedHosts:0", "sample.example");
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/runs");
        request.Headers.Host = "sample.example";

        using var response = await client.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task PostExtraction_ForeignOrigin_Returns403AndStartsNothing()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines };
        using var client = factory.CreateClient();

        // What a no-cors form POST from another site sends: the browser adds its Origin, and CORS does not stop it.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/extraction/runs") { Content = Api.ImageForm(TestImages.Gradient()) };
        request.Headers.Add("Origin", "https://evil.example");
        using var response = await client.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var detail = (string)(await Api.ReadProblemAsync(response, ct))["detail"]!;
        Assert.Contains("'https://evil.example'", detail, StringComparison.Ordinal);
        Assert.Contains("WebSample:AllowedOrigins", detail, StringComparison.Ordinal);
        Assert.Equal(0, engines.Created);
        Assert.Equal(0, factory.Registry.Count);
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("null")]
    [InlineData("http://localhost:8080")]
    public async Task PostBeam_ForeignOrigin_Returns403AndStartsNothing(string origin)
    {
        var ct = Timeouts.Token();
        var engines = new GatedBeam();
        await using var factory = new WebSampleFactory { Beam = engines };
        using var client = factory.CreateClient();

        using var response = await PostBeamAsync(client, origin, ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, engines.Created);
    }

    [Fact]
    public async Task PostBeam_OwnOriginOrAnAllowedOne_IsServed()
    {
        var ct = Timeouts.Token();
        await using var factory = new WebSampleFactory { Beam = new GatedBeam() }.With("AllowedOrigins:0", "https://tools.example");
        using var client = factory.CreateClient();

        using var own = await PostBeamAsync(client, "http://localhost", ct);
        using var allowed = await PostBeamAsync(client, "https://tools.example", ct);

        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
    }

    [Fact]
    public async Task Delete_ForeignOrigin_Returns403AndTheRunGoesOn()
    {
        var ct = Timeouts.Token();
        await using var factory = new WebSampleFactory { Beam = new GatedBeam() };
        using var client = factory.CreateClient();
        var run = await Api.CreateBeamAsync(client, new { prompt = "a fox" }, ct);

        using var request = new HttpRequestMessage(HttpMethod.Delete, (string)run["cancel_url"]!);
        request.Headers.Add("Origin", "https://evil.example");
        using var response = await client.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(factory.Registry.Find((string)run["run_id"]!)!.CancelReason);
    }

    [Fact]
    public async Task Socket_ForeignOrigin_HandshakeRefusedAndNothingHeld()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines };
        var client = factory.Server.CreateWebSocketClient();
        client.ConfigureRequest = request => request.Headers.Origin = "https://evil.example";

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => client.ConnectAsync(new Uri(factory.Server.BaseAddress, "/ws/extraction"), ct));

        Assert.Contains("403", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, factory.Registry.Count);
    }

    [Fact]
    public async Task Socket_OwnOrigin_IsAccepted()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        engines.Gate.Release("fast", "slow");
        await using var factory = new WebSampleFactory { Extraction = engines };
        var client = factory.Server.CreateWebSocketClient();
        client.ConfigureRequest = request => request.Headers.Origin = "http://localhost";

        using var socket = await client.ConnectAsync(new Uri(factory.Server.BaseAddress, "/ws/extraction"), ct);
        await Sockets.SendImageAsync(socket, TestImages.Gradient(), ct);

        Assert.Equal("started", (string)(await Sockets.ReceiveAsync(socket, ct))!["stage"]!);
    }

    private static async Task<HttpResponseMessage> PostBeamAsync(HttpClient client, string origin, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/beam/runs") { Content = JsonContent.Create(new JsonObject { ["prompt"] = "a fox" }) };
        request.Headers.Add("Origin", origin);
        return await client.SendAsync(request, ct);
    }
}
