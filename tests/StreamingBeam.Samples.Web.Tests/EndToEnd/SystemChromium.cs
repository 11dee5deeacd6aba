namespace StreamingBeam.Samples.Web.Tests.EndToEnd;

/// <summary>Finds the system's Chromium (Playwright cannot download its own browsers here): <c>CHROMIUM_PATH</c> if
/// set, else a well-known install path.</summary>
internal static class SystemChromium
{
    public const string PathVariable = "CHROMIUM_PATH";

    private static readonly string[] WellKnownPaths =
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
        "/usr/bin/google-chrome-stable",
        "/snap/bin/chromium",
        "/Applications/Chromium.app/Contents/MacOS/Chromium",
        "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
        @"C:\Program Files\Google\Chrome\Application\chrome.exe",
    ];

    /// <summary>Gets a value indicating whether this is a CI run (<c>CI=true</c>, which .ci/run exports), where a
    /// missing browser is a failure rather than a reason to skip.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string? Find()
    {
        var configured = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured) ? configured : null;
        }

        return WellKnownPaths.FirstOrDefault(File.Exists);
    }

    public static string Missing =>
        $"No Chromium found: set {PathVariable} or install one at {WellKnownPaths[0]} (bash .ci/install.sh does it on Debian and Ubuntu).";
}
