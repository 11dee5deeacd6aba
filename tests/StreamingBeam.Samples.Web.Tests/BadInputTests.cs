using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using StreamingBeam.Samples.Web.Tests.Infrastructure;

namespace StreamingBeam.Samples.Web.Tests;

/// <summary>Bad requests get a clear 4xx ProblemDetails, and start nothing.</summary>
public sealed class BadInputTests
{
    [Fact]
    public async Task PostExtraction_NoBody_Returns400ProblemAndStartsNothing()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines };
        using var client = factory.CreateClient();

        using var response = await client.PostAsync("/api/extraction/runs", content: null, ct);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "field named 'image'", ct);
        AssertNothingStarted(factory, engines);
    }

    [Fact]
    public async Task PostExtraction_FormWithoutTheImageField_Returns400Problem()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines };
        using var client = factory.CreateClient();
        using var form = Api.ImageForm(TestImages.Gradient(), field: "picture");

        using var response = await client.PostAsync("/api/extraction/runs", form, ct);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "No file", ct);
        AssertNothingStarted(factory, engines);
    }

    [Fact]
    public async Task PostExtraction_EmptyFile_Returns400Problem()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines };
        using var client = factory.CreateClient();
        using var form = Api.ImageForm([], fileName: "empty.png");

        using var response = await client.PostAsync("/api/extraction/runs", form, ct);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "'empty.png' is empty", ct);
        AssertNothingStarted(factory, engines);
    }

    [Fact]
    public async Task PostExtraction_NotAnImage_Returns415Problem()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines };
        using var client = factory.CreateClient();
        using var form = Api.ImageForm(Encoding.UTF8.GetBytes("just some text, not pixels"), fileName: "notes.txt", mediaType: "text/plain");

        using var response = await client.PostAsync("/api/extraction/runs", form, ct);

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "'notes.txt'", ct);
        AssertNothingStarted(factory, engines);
    }

    [Fact]
    public async Task PostExtraction_ImageOneByteOverTheLimit_Returns413Problem()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        var image = TestImages.Gradient();
        var limit = image.Length - 1;
        await using var factory = new WebSampleFactory { Extraction = engines }.With("MaxUploadBytes", limit.ToString(CultureInfo.InvariantCulture));
        using var client = factory.CreateClient();
        using var form = Api.ImageForm(image);

        using var response = await client.PostAsync("/api/extraction/runs", form, ct);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, $"limit of {limit:N0} bytes", ct);
        AssertNothingStarted(factory, engines);
    }

    [Fact]
    public async Task PostExtraction_BodyFarOverTheLimit_Returns413ProblemWithoutReadingIt()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines }.With("MaxUploadBytes", "1000");
        using var client = factory.CreateClient();
        using var form = Api.ImageForm(new byte[200_000]);

        using var response = await client.PostAsync("/api/extraction/runs", form, ct);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "limit of 1,000 bytes", ct);
        AssertNothingStarted(factory, engines);
    }

    [Theory]
    [InlineData("{\"prompt\": \"\"}", "prompt is required")]
    [InlineData("{\"prompt\": \"   \"}", "prompt is required")]
    [InlineData("{}", "prompt is required")]
    [InlineData("{\"prompt\": \"a fox\", \"beam_width\": 0}", "beam_width must be between 1 and 16")]
    [InlineData("{\"prompt\": \"a fox\", \"beam_width\": 4, \"keep_top\": 5}", "keep_top must be between 1 and beam_width (4)")]
    [InlineData("{\"prompt\": \"a fox\", \"iterations\": 9}", "iterations must be between 1 and 5")]
    [InlineData("{\"prompt\": ", "not valid JSON")]
    public async Task PostBeam_InvalidBody_Returns400ProblemAndStartsNothing(string body, string expected)
    {
        var ct = Timeouts.Token();
        var engines = new GatedBeam();
        await using var factory = new WebSampleFactory { Beam = engines };
        using var client = factory.CreateClient();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await client.PostAsync("/api/beam/runs", content, ct);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, expected, ct);
        Assert.Equal(0, engines.Created);
        Assert.Equal(0, factory.Registry.Count);
    }

    [Fact]
    public async Task PostBeam_PromptOverTheLimit_Returns400Problem()
    {
        var ct = Timeouts.Token();
        var engines = new GatedBeam();
        await using var factory = new WebSampleFactory { Beam = engines }.With("MaxPromptLength", "10");
        using var client = factory.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/beam/runs", new { prompt = "a fox in the snow" }, ct);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "the limit is 10", ct);
        Assert.Equal(0, engines.Created);
    }

    [Fact]
    public async Task PostBeam_NotJson_Returns400Problem()
    {
        var ct = Timeouts.Token();
        await using var factory = new WebSampleFactory { Beam = new GatedBeam() };
        using var client = factory.CreateClient();
        using var content = new StringContent("prompt=a fox", Encoding.UTF8, "application/x-www-form-urlencoded");

        using var response = await client.PostAsync("/api/beam/runs", content, ct);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "application/json", ct);
    }

    [Fact]
    public async Task PostBeam_AllKeptRunsStillRunning_Returns503ProblemWithRetryAfter()
    {
        var ct = Timeouts.Token();
        var engines = new GatedBeam();
        await using var factory = new WebSampleFactory { Beam = engines }.With("MaxRuns", "1");
        using var client = factory.CreateClient();
        await Api.CreateBeamAsync(client, new { prompt = "first", beam_width = 1, keep_top = 1, iterations = 1 }, ct);

        using var response = await client.PostAsJsonAsync("/api/beam/runs", new { prompt = "second" }, ct);

        await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "at most 1 runs", ct);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(1, factory.Registry.Count);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string expected, CancellationToken ct)
    {
        Assert.Equal(status, response.StatusCode);
        var problem = await Api.ReadProblemAsync(response, ct);
        Assert.Equal((int)status, (int)problem["status"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["title"]));
        Assert.Contains(expected, (string)problem["detail"]!, StringComparison.Ordinal);
    }

    private static void AssertNothingStarted(WebSampleFactory factory, GatedExtraction engines)
    {
        Assert.Equal(0, engines.Created);
        Assert.Equal(0, factory.Registry.Count);
        Assert.Empty(engines.Gate.Started);
    }
}
