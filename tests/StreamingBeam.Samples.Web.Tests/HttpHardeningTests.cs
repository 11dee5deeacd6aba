using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using StreamingBeam.Samples.Web.Tests.EndToEnd;
using StreamingBeam.Samples.Web.Tests.Infrastructure;

namespace StreamingBeam.Samples.Web.Tests;

/// <summary>Bodies bounded by what a valid request needs, security headers on every response, HEAD where GET is,
/// and JSON errors in the request's own terms.</summary>
public sealed class HttpHardeningTests
{
    [Fact]
    public async Task PostBeam_BodyLargerThanAValidRequestCanBe_Returns413()
    {
        var ct = Timeouts.Token();
        var engines = new GatedBeam();
        await using var factory = new WebSampleFactory { Beam = engines };
        using var client = factory.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/beam/runs", new { prompt = new string('a', 200_000) }, ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("larger than 10,096 bytes", (string)(await Api.ReadProblemAsync(response, ct))["detail"]!, StringComparison.Ordinal);
        Assert.Equal(0, engines.Created);
    }

    [Fact]
    public async Task PostBeam_ChunkedBodyOverTheLimitOnKestrel_Returns413Not500()
    {
        var ct = Timeouts.Token();
        var engines = new GatedBeam();
        await using var factory = new WebSampleFactory { Beam = engines };
        var address = factory.StartKestrel();
        using var client = new HttpClient { BaseAddress = address };

        // No Content-Length: only counting the bytes as they come can stop this one.
        var body = Encoding.UTF8.GetBytes($"{{\"prompt\": \"{new string('a', 200_000)}\"}}");
        using var content = new StreamContent(new MemoryStream(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/beam/runs") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await client.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, engines.Created);
    }

    [Fact]
    public async Task AnyResponse_CarriesTheSecurityHeadersAndNoServerHeader()
    {
        var ct = Timeouts.Token();
        await using var factory = new WebSampleFactory();
        var address = factory.StartKestrel();
        using var client = new HttpClient { BaseAddress = address };

        foreach (var path in new[] { "/", "/app.js", "/api/runs", "/api/beam/runs/nope/events" })
        {
            using var response = await client.GetAsync(path, ct);
            Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var nosniff), path);
            Assert.Equal("nosniff", Assert.Single(nosniff));
            Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
            Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
            var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
            Assert.False(response.Headers.Contains("Server"), $"{path} sent a Server header.");
        }
    }

    [Fact]
    public async Task HeadOnAnImage_Returns200WithItsTypeAndNoBody()
    {
        var ct = Timeouts.Token();
        await using var factory = new WebSampleFactory { Beam = new InstantSimulatedBeam() };
        using var client = factory.CreateClient();
        var run = await Api.CreateBeamAsync(client, new { prompt = "a fox", beam_width = 1, keep_top = 1, iterations = 1 }, ct);
        await factory.Registry.Find((string)run["run_id"]!)!.Completion.WaitAsync(ct);
        using var events = await Api.OpenEventsAsync(client, (string)run["events_url"]!, null, ct);
        var frames = await new SseReader(await events.Content.ReadAsStreamAsync(ct)).ReadToEndAsync(ct);
        var imageUrl = (string)frames.First(f => f.Event == "image_generated").Json["image_url"]!;

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, imageUrl), ct);
        using var get = await client.GetAsync(imageUrl, ct);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("image/png", head.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(head.Content.Headers.ContentLength, (await get.Content.ReadAsByteArrayAsync(ct)).Length);
    }

    [Fact]
    public async Task GetRun_KnownAndUnknown_ReportsItsStateOr404()
    {
        var ct = Timeouts.Token();
        await using var factory = new WebSampleFactory { Beam = new GatedBeam() };
        using var client = factory.CreateClient();
        var run = await Api.CreateBeamAsync(client, new { prompt = "a fox" }, ct);

        var state = (await client.GetFromJsonAsync<JsonObject>((string)run["cancel_url"]!, ct))!;
        using var unknown = await client.GetAsync("/api/beam/runs/0123456789abcdef01234567", ct);

        Assert.Equal("running", (string)state["state"]!);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("no beam run", (string)(await Api.ReadProblemAsync(unknown, ct))["detail"]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"prompt\": \"a fox\", \"beam_width\": \"6\"}", "beam_width must be a whole number; got the string \"6\".")]
    [InlineData("{\"prompt\": \"a fox\", \"seed\": \"abc\"}", "seed must be a whole number (a 64-bit integer) or null; got the string \"abc\".")]
    [InlineData("{\"prompt\": \"a fox\", \"iterations\": 2.5}", "iterations must be a whole number; got the number 2.5.")]
    [InlineData("{\"prompt\": 42}", "prompt must be a string; got the number 42.")]
    [InlineData("{\"prompt\": \"a fox\", \"beam_wdith\": 4}", "Unknown field 'beam_wdith'")]
    [InlineData("[\"a fox\"]", "must be a JSON object")]
    [InlineData("{\"prompt\": \"a\", \"prompt\": \"b\"}", "prompt appears more than once")]
    public async Task PostBeam_WrongTypes_Returns400NamingTheFieldAndNoDotNetType(string body, string expected)
    {
        var ct = Timeouts.Token();
        var engines = new GatedBeam();
        await using var factory = new WebSampleFactory { Beam = engines };
        using var client = factory.CreateClient();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await client.PostAsync("/api/beam/runs", content, ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (string)(await Api.ReadProblemAsync(response, ct))["detail"]!;
        Assert.Contains(expected, detail, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", detail, StringComparison.Ordinal);
        Assert.Equal(0, engines.Created);
    }

    [Fact]
    public async Task PostBeam_EmojiPrompt_CountsCodePointsNotUtf16Units()
    {
        var ct = Timeouts.Token();
        await using var factory = new WebSampleFactory { Beam = new GatedBeam() }.With("MaxPromptLength", "10");
        using var client = factory.CreateClient();
        var fox = "\U0001F98A"; // two UTF-16 units, one code point

        using var ten = await client.PostAsJsonAsync("/api/beam/runs", new { prompt = string.Concat(Enumerable.Repeat(fox, 10)) }, ct);
        using var eleven = await client.PostAsJsonAsync("/api/beam/runs", new { prompt = string.Concat(Enumerable.Repeat(fox, 11)) }, ct);

        Assert.Equal(HttpStatusCode.Created, ten.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, eleven.StatusCode);
        Assert.Contains("prompt is 11 characters long; the limit is 10", (string)(await Api.ReadProblemAsync(eleven, ct))["detail"]!, StringComparison.Ordinal);
    }
}
