using System.Net;
using StreamingBeam.Samples.Web.Runs;
using StreamingBeam.Samples.Web.Tests.Infrastructure;

namespace StreamingBeam.Samples.Web.Tests;

public sealed class ExtractionEventsTests
{
    [Fact]
    public async Task Events_GatedExtractors_StreamEachUpdateAsItsExtractorIsReleased()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines };
        using var client = factory.CreateClient();
        var run = await Api.CreateExtractionAsync(client, TestImages.Gradient(), ct);

        using var response = await Api.OpenEventsAsync(client, (string)run["events_url"]!, null, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        using var sse = new SseReader(await response.Content.ReadAsStreamAsync(ct));

        var opening = await sse.ReadAsync(ct);
        Assert.Equal(["retry: 1000"], opening!.Lines);
        var started = await sse.ReadEventAsync(ct);
        Assert.Equal(["id: 1", "event: started", $"data: {started.Data}"], started.Lines);
        Assert.Equal((string)run["run_id"]!, (string)started.Json["metadata"]!["run_id"]!);

        // "slow" is released first, so its update must come first; "fast" is still held when it arrives.
        await engines.Gate.WaitForStartAsync("fast", ct);
        engines.Gate.Release("slow");
        var first = await sse.ReadEventAsync(ct);
        Assert.Equal(2, first.Id);
        Assert.Equal("extractor_complete", first.Event);
        Assert.Equal("slow", (string)first.Json["metadata"]!["extractor"]!);
        Assert.Equal(1, engines.Gate.InFlight); // "fast" is still held: the update did not wait for it

        engines.Gate.Release("fast");
        var rest = await sse.ReadToEndAsync(ct);
        Assert.Equal([3L, 4L], rest.Select(f => f.Id!.Value));
        Assert.Equal(["extractor_complete", "complete"], rest.Select(f => f.Event!));
        Assert.Equal("fast", (string)rest[0].Json["metadata"]!["extractor"]!);
        Assert.True((bool)rest[0].Json["metadata"]!["is_final"]!);
        Assert.Equal("fast", (string)rest[1].Json["tokens"]!["fast"]!["value"]!);
        Assert.Equal("slow", (string)rest[1].Json["tokens"]!["slow"]!["value"]!);
    }

    [Fact]
    public async Task Events_LastEventIdAfterFinish_ReplaysOnlyTheMissedEventsOfTheSameRun()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        engines.Gate.Release("fast", "slow");
        await using var factory = new WebSampleFactory { Extraction = engines };
        using var client = factory.CreateClient();
        var run = await Api.CreateExtractionAsync(client, TestImages.Gradient(), ct);
        var url = (string)run["events_url"]!;
        await factory.Registry.Find((string)run["run_id"]!)!.Completion.WaitAsync(ct);

        List<SseFrame> all, replay;
        using (var response = await Api.OpenEventsAsync(client, url, null, ct))
        {
            all = await new SseReader(await response.Content.ReadAsStreamAsync(ct)).ReadToEndAsync(ct);
        }

        using (var response = await Api.OpenEventsAsync(client, url, 2, ct))
        {
            replay = await new SseReader(await response.Content.ReadAsStreamAsync(ct)).ReadToEndAsync(ct);
        }

        Assert.Equal([1L, 2L, 3L, 4L], all.Select(f => f.Id!.Value));
        Assert.Equal(all.Skip(2).Select(f => f.Data), replay.Select(f => f.Data));
        Assert.Equal(1, engines.Created);
        Assert.Equal(1, factory.Registry.Count);

        // A new EventSource cannot set the header, so the query parameter does the same.
        using (var response = await client.GetAsync($"{url}?lastEventId=3", HttpCompletionOption.ResponseHeadersRead, ct))
        {
            var fromQuery = await new SseReader(await response.Content.ReadAsStreamAsync(ct)).ReadToEndAsync(ct);
            Assert.Equal([4L], fromQuery.Select(f => f.Id!.Value));
        }

        // Nothing left to send: 204, which tells an EventSource to stop reconnecting.
        using var done = await Api.OpenEventsAsync(client, url, 4, ct);
        Assert.Equal(HttpStatusCode.NoContent, done.StatusCode);
    }

    [Fact]
    public async Task Events_ReconnectMidRunWithLastEventId_ResumesTheRunningRunLive()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines };
        using var client = factory.CreateClient();
        var run = await Api.CreateExtractionAsync(client, TestImages.Gradient(), ct);
        var url = (string)run["events_url"]!;
        var serverRun = factory.Registry.Find((string)run["run_id"]!)!;

        engines.Gate.Release("fast");
        using (var first = await Api.OpenEventsAsync(client, url, null, ct))
        {
            var sse = new SseReader(await first.Content.ReadAsStreamAsync(ct));
            Assert.Equal(1, (await sse.ReadEventAsync(ct)).Id);
            Assert.Equal(2, (await sse.ReadEventAsync(ct)).Id);
        }

        await serverRun.WaitForSubscribersAsync(0, ct);
        using var second = await Api.OpenEventsAsync(client, url, 2, ct);
        var resumed = new SseReader(await second.Content.ReadAsStreamAsync(ct));
        await serverRun.WaitForSubscribersAsync(1, ct);
        engines.Gate.Release("slow");
        var rest = await resumed.ReadToEndAsync(ct);

        Assert.Equal([3L, 4L], rest.Select(f => f.Id!.Value));
        Assert.Equal("slow", (string)rest[0].Json["metadata"]!["extractor"]!);
        Assert.Equal(1, engines.Created);
        Assert.All(engines.Extractors, e => Assert.Equal(1, e.CallCount));
    }

    [Fact]
    public async Task Events_NoClientForTheGracePeriod_CancelsTheRunAndEveryProviderCall()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines }.With("ClientGracePeriod", "00:00:10");
        using var client = factory.CreateClient();
        var run = await Api.CreateExtractionAsync(client, TestImages.Gradient(), ct);
        var serverRun = factory.Registry.Find((string)run["run_id"]!)!;
        await engines.Gate.WaitForStartAsync("fast", ct);
        await engines.Gate.WaitForStartAsync("slow", ct);

        using (var response = await Api.OpenEventsAsync(client, (string)run["events_url"]!, null, ct))
        {
            var sse = new SseReader(await response.Content.ReadAsStreamAsync(ct));
            Assert.Equal("started", (await sse.ReadEventAsync(ct)).Event);
            await serverRun.WaitForSubscribersAsync(1, ct);
        }

        await serverRun.WaitForSubscribersAsync(0, ct);
        factory.Time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(serverRun.Token.IsCancellationRequested);
        factory.Time.Advance(TimeSpan.FromSeconds(1));
        await serverRun.Completion.WaitAsync(ct);

        Assert.Equal(CancelReasons.Abandoned, serverRun.CancelReason);
        Assert.Equal(0, engines.Gate.InFlight);
        Assert.Equal(["fast", "slow"], engines.Gate.Canceled.Order());
        using var replay = await Api.OpenEventsAsync(client, (string)run["events_url"]!, 1, ct);
        var last = (await new SseReader(await replay.Content.ReadAsStreamAsync(ct)).ReadToEndAsync(ct)).Single();
        Assert.Equal("canceled", last.Event);
        Assert.Equal("abandoned", (string)last.Json["metadata"]!["reason"]!);
    }

    [Fact]
    public async Task Events_ClientBackWithinTheGracePeriod_RunIsNotCanceled()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines }.With("ClientGracePeriod", "00:00:10");
        using var client = factory.CreateClient();
        var run = await Api.CreateExtractionAsync(client, TestImages.Gradient(), ct);
        var serverRun = factory.Registry.Find((string)run["run_id"]!)!;

        // Nobody connected for 9 s of the 10 s grace period: the run goes on.
        factory.Time.Advance(TimeSpan.FromSeconds(9));
        using var response = await Api.OpenEventsAsync(client, (string)run["events_url"]!, null, ct);
        var sse = new SseReader(await response.Content.ReadAsStreamAsync(ct));
        await serverRun.WaitForSubscribersAsync(1, ct);
        factory.Time.Advance(TimeSpan.FromMinutes(1));
        engines.Gate.Release("fast", "slow");
        var events = await sse.ReadToEndAsync(ct);

        Assert.Equal("complete", events[^1].Event);
        Assert.Null(serverRun.CancelReason);
    }

    [Fact]
    public async Task Delete_RunningRun_CancelsEveryProviderCallBeforeAnswering()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines };
        using var client = factory.CreateClient();
        var run = await Api.CreateExtractionAsync(client, TestImages.Gradient(), ct);
        await engines.Gate.WaitForStartAsync("fast", ct);
        await engines.Gate.WaitForStartAsync("slow", ct);

        using var deleted = await client.DeleteAsync((string)run["cancel_url"]!, ct);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(0, engines.Gate.InFlight);
        Assert.Equal(["fast", "slow"], engines.Gate.Canceled.Order());
        Assert.True(factory.Registry.Find((string)run["run_id"]!)!.Completion.IsCompleted);
    }

    [Fact]
    public async Task Events_UnknownRun_Returns404Problem()
    {
        var ct = Timeouts.Token();
        await using var factory = new WebSampleFactory { Extraction = new GatedExtraction() };
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/api/extraction/runs/nope/events", ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("'nope'", (string)(await Api.ReadProblemAsync(response, ct))["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_LastEventIdNotANumber_Returns400Problem()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        engines.Gate.Release("fast", "slow");
        await using var factory = new WebSampleFactory { Extraction = engines };
        using var client = factory.CreateClient();
        var run = await Api.CreateExtractionAsync(client, TestImages.Gradient(), ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, (string)run["events_url"]!);
        request.Headers.Add("Last-Event-ID", "abc");

        using var response = await client.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Last-Event-ID", (string)(await Api.ReadProblemAsync(response, ct))["detail"]!, StringComparison.Ordinal);
    }
}
