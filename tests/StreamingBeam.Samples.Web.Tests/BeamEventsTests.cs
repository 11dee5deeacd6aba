using System.Net;
using System.Text;
using StreamingBeam.Samples.Web.Tests.Infrastructure;
using StreamingBeam.Testing;

namespace StreamingBeam.Samples.Web.Tests;

public sealed class BeamEventsTests
{
    private static readonly string Prompt0 = BeamGateKeys.CombinedText(
        BeamGateKeys.ExpandedText(PromptDimension.What, 0), BeamGateKeys.ExpandedText(PromptDimension.How, 0));

    private static readonly object OneCandidate = new { prompt = "a fox", beam_width = 1, keep_top = 1, iterations = 1, seed = 7 };

    [Fact]
    public async Task Events_ScoresHeld_ImageArrivesWithAServedUrlBeforeItsScore()
    {
        var ct = Timeouts.Token();
        var engines = new GatedBeam(key => !key.StartsWith("alignment:", StringComparison.Ordinal) && !key.StartsWith("aesthetic:", StringComparison.Ordinal));
        await using var factory = new WebSampleFactory { Beam = engines };
        using var client = factory.CreateClient();
        var run = await Api.CreateBeamAsync(client, OneCandidate, ct);
        using var response = await Api.OpenEventsAsync(client, (string)run["events_url"]!, null, ct);
        using var sse = new SseReader(await response.Content.ReadAsStreamAsync(ct));

        var started = await sse.ReadEventAsync(ct);
        Assert.Equal("search_started", started.Event);
        Assert.Equal("a fox", (string)started.Json["prompt"]!);
        Assert.Equal(7, (long)started.Json["seed"]!);

        var image = await sse.ReadEventAsync(ct);
        Assert.Equal("image_generated", image.Event);
        Assert.Equal(Prompt0, (string)image.Json["combined_prompt"]!);
        await engines.Gate.WaitForStartAsync(BeamGateKeys.Alignment(Prompt0), ct);
        await engines.Gate.WaitForStartAsync(BeamGateKeys.Aesthetic(Prompt0), ct);
        Assert.Equal(2, engines.Gate.InFlight); // both scores are held while the image is already out

        using var bytes = await client.GetAsync((string)image.Json["image_url"]!, ct);
        Assert.Equal(HttpStatusCode.OK, bytes.StatusCode);
        Assert.Equal(GatedImageGenerator.MediaType, bytes.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Prompt0, Encoding.UTF8.GetString(await bytes.Content.ReadAsByteArrayAsync(ct)));

        engines.Gate.Release(BeamGateKeys.Alignment(Prompt0), BeamGateKeys.Aesthetic(Prompt0));
        var rest = await sse.ReadToEndAsync(ct);

        Assert.Equal(["candidate_scored", "iteration_completed", "search_completed"], rest.Select(f => f.Event!));
        Assert.Equal([3L, 4L, 5L], rest.Select(f => f.Id!.Value));
        var candidate = rest[0].Json["candidate"]!;
        Assert.Equal((string)image.Json["candidate_id"]!, (string)candidate["id"]!);
        Assert.Equal((string)image.Json["image_url"]!, (string)candidate["image_url"]!);
        Assert.Equal((string)candidate["id"]!, (string)rest[1].Json["survivors"]![0]!["id"]!);
        Assert.Equal((string)candidate["id"]!, (string)rest[2].Json["best"]!["id"]!);
        Assert.Equal("MaxIterationsReached", (string)rest[2].Json["stop_reason"]!);
    }

    [Fact]
    public async Task Delete_ImageGenerationInFlight_CancelsItAndEndsTheStreamWithCanceled()
    {
        var ct = Timeouts.Token();
        var engines = new GatedBeam(key => !key.StartsWith("image:", StringComparison.Ordinal));
        await using var factory = new WebSampleFactory { Beam = engines };
        using var client = factory.CreateClient();
        var run = await Api.CreateBeamAsync(client, OneCandidate, ct);
        using var response = await Api.OpenEventsAsync(client, (string)run["events_url"]!, null, ct);
        using var sse = new SseReader(await response.Content.ReadAsStreamAsync(ct));
        Assert.Equal("search_started", (await sse.ReadEventAsync(ct)).Event);
        await engines.Gate.WaitForStartAsync(BeamGateKeys.Image(Prompt0), ct);

        using var deleted = await client.DeleteAsync((string)run["cancel_url"]!, ct);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(0, engines.Gate.InFlight);
        Assert.Equal([BeamGateKeys.Image(Prompt0)], engines.Gate.Canceled);
        var last = Assert.Single(await sse.ReadToEndAsync(ct));
        Assert.Equal("canceled", last.Event);
        Assert.Equal("deleted", (string)last.Json["reason"]!);
    }

    [Fact]
    public async Task Images_UnknownCandidate_Returns404Problem()
    {
        var ct = Timeouts.Token();
        var engines = new GatedBeam(_ => true);
        await using var factory = new WebSampleFactory { Beam = engines };
        using var client = factory.CreateClient();
        var run = await Api.CreateBeamAsync(client, OneCandidate, ct);

        using var response = await client.GetAsync($"/api/beam/runs/{run["run_id"]}/images/nobody", ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("'nobody'", (string)(await Api.ReadProblemAsync(response, ct))["detail"]!, StringComparison.Ordinal);
    }
}
