using Microsoft.Playwright;
using StreamingBeam.Samples.Web.Tests.Infrastructure;
using StreamingBeam.Testing;

namespace StreamingBeam.Samples.Web.Tests.EndToEnd;

/// <summary>The page when things go wrong or the screen is small: dropped connections, lost runs, a cancel during an
/// upload, a failed start, progress while a search runs, and a 390 px wide phone.</summary>
public sealed class PageResilienceTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    /// <summary>Variant 1 of iteration 0 in a width-2 search on the gated fakes; its aesthetic score is the one held.</summary>
    private static readonly string HeldPrompt = BeamGateKeys.CombinedText(
        BeamGateKeys.ExpandedText(PromptDimension.What, 1), BeamGateKeys.ExpandedText(PromptDimension.How, 1));

    private static readonly string HeldKey = BeamGateKeys.Aesthetic(HeldPrompt);

    [ChromiumFact]
    public async Task BeamView_ConnectionDrops_ShowsItThenResumesTheSameRunAndCompletes()
    {
        var engines = HoldOneScore();
        await using var factory = new WebSampleFactory { Beam = engines };
        await using var proxy = new TcpProxy(factory.StartKestrel());
        await using var session = await OpenAsync(proxy.Address);
        var page = session.Page;
        await StartGatedSearchAsync(page);
        await Assertions.Expect(page.Locator("#beam-count")).ToHaveAttributeAsync("data-scored", "1");

        proxy.GoDown();
        await Assertions.Expect(page.Locator("#beam-status")).ToHaveAttributeAsync("data-state", "reconnecting");
        await Assertions.Expect(page.Locator("#beam-status")).ToContainTextAsync("reconnecting");
        await Assertions.Expect(page.Locator("#beam-start")).ToBeDisabledAsync();

        proxy.ComeBack();
        await Assertions.Expect(page.Locator("#beam-status")).ToHaveAttributeAsync("data-state", "running");
        engines.Gate.Release(HeldKey);
        await Assertions.Expect(page.Locator("#beam-status")).ToHaveAttributeAsync("data-state", "complete");

        await Assertions.Expect(page.Locator(".candidate.scored")).ToHaveCountAsync(4);
        Assert.Equal(1, engines.Created); // resumed with Last-Event-ID: the same run, never a second one
        Assert.Empty(session.Errors);
    }

    [ChromiumFact]
    public async Task BeamView_RunGoneWhenTheConnectionComesBack_SaysSoAndReenablesSearch()
    {
        var engines = HoldOneScore();
        await using var factory = new WebSampleFactory { Beam = engines };
        await using var proxy = new TcpProxy(factory.StartKestrel());
        await using var session = await OpenAsync(proxy.Address);
        var page = session.Page;
        await StartGatedSearchAsync(page);
        await Assertions.Expect(page.Locator("#beam-count")).ToHaveAttributeAsync("data-scored", "1");
        var run = Assert.Single(factory.Registry.Snapshot());

        // While the page is cut off, the run finishes and outlives its retention: the server drops it.
        proxy.GoDown();
        await Assertions.Expect(page.Locator("#beam-status")).ToHaveAttributeAsync("data-state", "reconnecting");
        engines.Gate.Release(HeldKey);
        await run.Completion.WaitAsync(Timeouts.Token());
        factory.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        Assert.Null(factory.Registry.Find(run.Id));

        proxy.ComeBack();
        await Assertions.Expect(page.Locator("#beam-status")).ToHaveAttributeAsync("data-state", "error");
        await Assertions.Expect(page.Locator("#beam-status")).ToContainTextAsync("The run is gone from the server");
        await Assertions.Expect(page.Locator("#beam-start")).ToBeEnabledAsync();
        await Assertions.Expect(page.Locator("#beam-cancel")).ToBeDisabledAsync();
        Assert.Empty(session.Errors);
    }

    [ChromiumFact]
    public async Task ExtractView_WebSocketDrops_SaysTheServerCanceledTheRunAndReenablesExtract()
    {
        var engines = new PageExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines };
        await using var proxy = new TcpProxy(factory.StartKestrel());
        await using var session = await OpenAsync(proxy.Address);
        var page = session.Page;
        await page.SetInputFilesAsync("#extract-file", new FilePayload { Name = "gradient.png", MimeType = "image/png", Buffer = TestImages.Gradient(320, 200) });
        await page.ClickAsync("#extract-start");
        await Assertions.Expect(page.Locator(".token-card")).ToHaveCountAsync(4);
        var run = Assert.Single(factory.Registry.Snapshot());

        proxy.GoDown();

        await Assertions.Expect(page.Locator("#extract-status")).ToHaveAttributeAsync("data-state", "error");
        await Assertions.Expect(page.Locator("#extract-status")).ToContainTextAsync("The connection dropped, and the server canceled the run");
        await Assertions.Expect(page.Locator("#extract-start")).ToBeEnabledAsync();
        await run.Completion.WaitAsync(Timeouts.Token());
        Assert.Equal("client_disconnected", run.CancelReason);
        Assert.Empty(session.Errors);
    }

    [ChromiumFact]
    public async Task ExtractView_CancelWhileTheSseUploadIsInFlight_CancelsTheRunOnTheServer()
    {
        var engines = new PageExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines };
        await using var session = await OpenAsync(factory.StartKestrel());
        var page = session.Page;
        var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var canceled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // The POST reaches the server (the run is created) but its answer is held until Cancel has been pressed.
        await page.RouteAsync("**/api/extraction/runs", async route =>
        {
            var response = await route.FetchAsync();
            created.TrySetResult();
            await canceled.Task;
            await route.FulfillAsync(new() { Response = response });
        });
        await page.CheckAsync("input[name='transport'][value='sse']");
        await page.SetInputFilesAsync("#extract-file", new FilePayload { Name = "gradient.png", MimeType = "image/png", Buffer = TestImages.Gradient(320, 200) });
        await page.ClickAsync("#extract-start");
        await created.Task.WaitAsync(Timeouts.Token());
        var run = Assert.Single(factory.Registry.Snapshot());

        await page.ClickAsync("#extract-cancel");
        canceled.SetResult();

        await run.Completion.WaitAsync(Timeouts.Token(10));
        Assert.Equal("deleted", run.CancelReason);
        Assert.Equal(0, engines.Gate.InFlight);
        await Assertions.Expect(page.Locator("#extract-status")).ToHaveAttributeAsync("data-state", "canceled");
        await Assertions.Expect(page.Locator("#extract-start")).ToBeEnabledAsync();
        Assert.Equal(0, await page.Locator(".token-card").CountAsync());
        Assert.Empty(session.Errors);
    }

    [ChromiumFact]
    public async Task BeamView_BeforeAnySearch_BestPanelIsNotShown()
    {
        await using var factory = new WebSampleFactory { Beam = new InstantSimulatedBeam() };
        await using var session = await OpenAsync(factory.StartKestrel());
        var page = session.Page;

        await page.ClickAsync(".tab[data-view='beam-view']");

        await Assertions.Expect(page.Locator("#beam-form")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#beam-best")).ToBeHiddenAsync();
        Assert.Equal("none", await page.Locator("#beam-best").EvaluateAsync<string>("e => getComputedStyle(e).display"));
    }

    [ChromiumFact]
    public async Task BeamView_WhileSearching_ShowsIterationScoredCountAndBarThenTheStopInWords()
    {
        var engines = HoldOneScore();
        await using var factory = new WebSampleFactory { Beam = engines };
        await using var session = await OpenAsync(factory.StartKestrel());
        var page = session.Page;

        await StartGatedSearchAsync(page);

        var count = page.Locator("#beam-count");
        await Assertions.Expect(count).ToHaveAttributeAsync("data-scored", "1");
        await Assertions.Expect(count).ToHaveAttributeAsync("data-expected", "4");
        await Assertions.Expect(count).ToHaveAttributeAsync("data-iteration", "1");
        await Assertions.Expect(page.Locator("#beam-status")).ToContainTextAsync("iteration 1 of 2, 1 of 4 candidates scored");
        Assert.Equal("25%", await page.Locator("#beam-bar").EvaluateAsync<string>("e => e.style.width"));

        engines.Gate.Release(HeldKey);
        await Assertions.Expect(page.Locator("#beam-status")).ToHaveAttributeAsync("data-state", "complete");
        await Assertions.Expect(count).ToHaveAttributeAsync("data-iteration", "2");
        await Assertions.Expect(page.Locator("#beam-status")).ToContainTextAsync("ran all 2 iterations asked for");
        await Assertions.Expect(page.Locator("#beam-best .stop")).ToContainTextAsync("Stopped: ran all 2 iterations asked for");
        await Assertions.Expect(page.Locator("body")).Not.ToContainTextAsync("MaxIterationsReached");
        Assert.Equal("100%", await page.Locator("#beam-bar").EvaluateAsync<string>("e => e.style.width"));
    }

    [ChromiumFact]
    public async Task BeamView_StartFailsOnTheNetwork_SaysSoReplacesTheOldErrorAndReenablesSearch()
    {
        await using var factory = new WebSampleFactory { Beam = new InstantSimulatedBeam() };
        await using var session = await OpenAsync(factory.StartKestrel());
        var page = session.Page;
        await page.ClickAsync(".tab[data-view='beam-view']");
        await page.FillAsync("#beam-prompt", " ");
        await page.ClickAsync("#beam-start");
        await Assertions.Expect(page.Locator("#beam-status")).ToContainTextAsync("prompt is required");

        await page.RouteAsync("**/api/beam/runs", route => route.AbortAsync("connectionrefused"));
        await page.FillAsync("#beam-prompt", "a red fox in the snow");
        await page.ClickAsync("#beam-start");

        var status = page.Locator("#beam-status");
        await Assertions.Expect(status).ToContainTextAsync("Could not start the search: the server did not answer");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-state", "error");
        await Assertions.Expect(status).Not.ToContainTextAsync("prompt is required");
        await Assertions.Expect(page.Locator("#beam-start")).ToBeEnabledAsync();
        Assert.Empty(session.Errors);

        await page.UnrouteAllAsync();
        await page.FillAsync("#beam-width", "2");
        await page.FillAsync("#beam-keep", "1");
        await page.FillAsync("#beam-iterations-count", "1");
        await page.ClickAsync("#beam-start");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-state", "complete");
    }

    [ChromiumFact]
    public async Task Phone390_BothViewsFitTheWidthAndBeamCardsShareRows()
    {
        var extraction = new PageExtraction();
        extraction.Gate.Release(PageExtraction.Held);
        await using var factory = new WebSampleFactory { Extraction = extraction, Beam = new InstantSimulatedBeam() };
        await using var session = await OpenAsync(factory.StartKestrel(), width: 390, height: 844);
        var page = session.Page;

        await AssertFitsAsync(page, "empty extraction view");
        await page.SetInputFilesAsync("#extract-file", new FilePayload { Name = "a-rather-long-file-name-for-a-phone-screen.png", MimeType = "image/png", Buffer = TestImages.Gradient(320, 200) });
        await page.ClickAsync("#extract-start");
        await Assertions.Expect(page.Locator("#extract-status")).ToHaveAttributeAsync("data-state", "complete");
        await AssertFitsAsync(page, "extraction results");

        var tab = page.Locator(".tab[data-view='beam-view']");
        var box = (await tab.BoundingBoxAsync())!;
        Assert.True(box.X >= 0 && box.X + box.Width <= 390, $"The Beam search tab spans {box.X} to {box.X + box.Width} px of 390.");
        await tab.ClickAsync();
        await AssertFitsAsync(page, "empty beam view");
        await page.ClickAsync("#beam-start");
        await Assertions.Expect(page.Locator("#beam-status")).ToHaveAttributeAsync("data-state", "complete");
        await AssertFitsAsync(page, "beam results");

        var best = await page.Locator("#beam-best").EvaluateAsync<double[]>("e => [e.scrollWidth, e.clientWidth, e.getBoundingClientRect().right]");
        Assert.True(best[0] <= best[1] && best[2] <= 390, $"The best panel's text overflows: scrollWidth {best[0]}, clientWidth {best[1]}, right {best[2]}.");
        var cards = await page.Locator(".candidate").EvaluateAllAsync<double[][]>("cards => cards.slice(0, 2).map(c => { const r = c.getBoundingClientRect(); return [r.top, r.width]; })");
        Assert.Equal(cards[0][0], cards[1][0]);
        Assert.True(cards[0][1] <= 390 / 2.0, $"A candidate card is {cards[0][1]} px wide on a 390 px screen.");
    }

    private static GatedBeam HoldOneScore() => new(key => key != HeldKey);

    private static async Task StartGatedSearchAsync(IPage page)
    {
        await page.ClickAsync(".tab[data-view='beam-view']");
        await page.FillAsync("#beam-prompt", "a red fox in the snow");
        await page.FillAsync("#beam-width", "2");
        await page.FillAsync("#beam-keep", "1");
        await page.FillAsync("#beam-iterations-count", "2");
        await page.ClickAsync("#beam-start");
    }

    private static async Task AssertFitsAsync(IPage page, string what)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, innerWidth]");
        Assert.True(widths[0] <= widths[1], $"{what}: the page is {widths[0]} px wide in a {widths[1]} px viewport.");
    }

    private async Task<PageSession> OpenAsync(Uri address, int width = 1400, int height = 1000)
    {
        var browser = await chromium.GetBrowserAsync();
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        var session = new PageSession(context, page);
        page.PageError += (_, error) => session.Errors.Add(error);
        await page.GotoAsync(address.ToString());
        return session;
    }

    /// <summary>A browser context and its page; <see cref="Errors"/> collects uncaught script errors.</summary>
    private sealed class PageSession(IBrowserContext context, IPage page) : IAsyncDisposable
    {
        public IPage Page => page;

        public List<string> Errors { get; } = [];

        public ValueTask DisposeAsync() => context.DisposeAsync();
    }
}
