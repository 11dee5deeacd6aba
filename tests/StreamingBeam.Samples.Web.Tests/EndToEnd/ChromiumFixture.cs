using Microsoft.Playwright;

namespace StreamingBeam.Samples.Web.Tests.EndToEnd;

/// <summary>One Playwright driver and one headless system Chromium for all the page tests, started on first use
/// (so a skipped class starts nothing).</summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    private readonly Lock _lock = new();
    private Task<(IPlaywright Playwright, IBrowser Browser)>? _launch;

    public string? ExecutablePath { get; private set; }

    public async Task<IBrowser> GetBrowserAsync()
    {
        // Playwright's expectations give up after 5 s by default; a search on two shared cores can take longer. Still
        // bounded: a page that never gets there fails.
        Assertions.SetDefaultExpectTimeout(20_000);
        lock (_lock)
        {
            _launch ??= LaunchAsync();
        }

        return (await _launch).Browser;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_launch is { IsCompletedSuccessfully: true } launch)
        {
            var (playwright, browser) = await launch;
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    private async Task<(IPlaywright, IBrowser)> LaunchAsync()
    {
        ExecutablePath = SystemChromium.Find()
            ?? throw new InvalidOperationException(SystemChromium.Missing + " CI=true, so this is a failure, not a skip.");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        return (playwright, browser);
    }
}
