using System.Text.Json.Nodes;
using Microsoft.Playwright;
using StreamingBeam.Samples.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace StreamingBeam.Samples.Web.Tests.EndToEnd;

/// <summary>The page in a real browser: headless system Chromium, driven by Playwright, against the app on Kestrel.</summary>
public sealed class PageEndToEndTests(ChromiumFixture chromium, ITestOutputHelper output) : IClassFixture<ChromiumFixture>
{
    [ChromiumFact]
    public async Task Page_UploadImage_FirstCardArrivesBeforeTheFinalOneAndTheDocumentCompletes()
    {
        var browser = await chromium.GetBrowserAsync();
        var engines = new PageExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines };
        var address = factory.StartKestrel();
        await using var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        var consoleErrors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Add($"{message.Text} at {message.Location}");
            }
        };

        await page.GotoAsync(address.ToString());
        await page.SetInputFilesAsync("#extract-file", new FilePayload { Name = "gradient.png", MimeType = "image/png", Buffer = TestImages.Gradient(320, 200) });
        await page.ClickAsync("#extract-start");

        // The four real extractors land while both AI extractors are held: the first card is up, the final one is not.
        var cards = page.Locator(".token-card");
        await Assertions.Expect(cards).ToHaveCountAsync(4);
        await Assertions.Expect(cards.First).ToHaveAttributeAsync("data-final", "false");
        await Assertions.Expect(page.Locator(".token-card[data-final='true']")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#extract-count")).ToHaveAttributeAsync("data-completed", "4");
        await Assertions.Expect(page.Locator("#extract-status")).ToHaveAttributeAsync("data-state", "running");
        await Assertions.Expect(page.Locator("#extract-status")).ToContainTextAsync("on gradient.png ("); // the file's name, sent with the WebSocket
        Assert.Equal(2, engines.Gate.InFlight);

        engines.Gate.Release(PageExtraction.Held[0]);
        await Assertions.Expect(cards).ToHaveCountAsync(5);
        engines.Gate.Release(PageExtraction.Held[1]);
        await Assertions.Expect(page.Locator("#extract-status")).ToHaveAttributeAsync("data-state", "complete");

        var order = await cards.EvaluateAllAsync<string[]>("cards => cards.map(c => `${c.dataset.order}:${c.dataset.extractor}:${c.dataset.final}`)");
        Assert.Equal(6, order.Length);
        Assert.EndsWith(":false", order[0], StringComparison.Ordinal);
        Assert.Equal($"6:{PageExtraction.Held[1]}:true", order[^1]);
        await Assertions.Expect(page.Locator("#extract-count")).ToHaveAttributeAsync("data-completed", "6");
        await Assertions.Expect(page.Locator("#extract-timeline li")).ToHaveCountAsync(6);

        var document = JsonNode.Parse(await page.Locator("#extract-document").InnerTextAsync())!.AsObject();
        Assert.Equal(["aspect", "brightness", "clip-style", "edges", "palette", "vlm-caption"], document.Select(p => p.Key).Order());
        Assert.Equal(320, (int)document["aspect"]!["width"]!);
        Assert.True((bool)document["vlm-caption"]!);

        var screenshot = Path.Combine(RepositoryRoot(), "artifacts", "test-results", "web-e2e.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        output.WriteLine($"Chromium: {chromium.ExecutablePath} ({browser.Version}); app at {address}; screenshot: {screenshot}");
        Assert.Empty(consoleErrors);
    }

    [ChromiumFact]
    public async Task BeamView_Search_ShowsEveryImageItsScoreTheSurvivorsAndTheBest()
    {
        var browser = await chromium.GetBrowserAsync();
        await using var factory = new WebSampleFactory { Beam = new InstantSimulatedBeam() };
        var address = factory.StartKestrel();
        await using var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);

        await page.GotoAsync(address.ToString());
        await page.ClickAsync(".tab[data-view='beam-view']");
        await page.FillAsync("#beam-prompt", "a red fox in the snow");
        await page.FillAsync("#beam-width", "3");
        await page.FillAsync("#beam-keep", "1");
        await page.FillAsync("#beam-iterations-count", "2");
        await page.ClickAsync("#beam-start");
        await Assertions.Expect(page.Locator("#beam-status")).ToHaveAttributeAsync("data-state", "complete");

        await Assertions.Expect(page.Locator(".iteration")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator(".candidate")).ToHaveCountAsync(6);
        await Assertions.Expect(page.Locator(".candidate.scored")).ToHaveCountAsync(6);
        await Assertions.Expect(page.Locator(".iteration[data-iteration='0'] .candidate.survivor")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#beam-best img")).ToBeVisibleAsync();
        var loaded = await page.Locator(".candidate img").EvaluateAllAsync<bool[]>("images => images.map(i => i.complete && i.naturalWidth > 0)");
        Assert.Equal(6, loaded.Length);
        Assert.All(loaded, Assert.True);

        var screenshot = Path.Combine(RepositoryRoot(), "artifacts", "test-results", "web-e2e-beam.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        output.WriteLine($"screenshot: {screenshot}");
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "StreamingBeam.sln")))
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
