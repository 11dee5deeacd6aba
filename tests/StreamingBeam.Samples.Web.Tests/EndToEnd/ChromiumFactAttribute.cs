namespace StreamingBeam.Samples.Web.Tests.EndToEnd;

/// <summary>A fact that needs the system Chromium. Without one it is skipped on a developer machine (so
/// <c>dotnet test</c> works with only the .NET SDK) and runs, to fail with the reason, on CI (<c>CI=true</c>).</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!SystemChromium.IsCi && SystemChromium.Find() is null)
        {
            Skip = SystemChromium.Missing + " Skipped because CI is not 'true'.";
        }
    }
}
