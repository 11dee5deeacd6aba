namespace StreamingBeam.Samples.Web.Tests.Infrastructure;

/// <summary>A safety net so that a broken stream fails a test instead of hanging it. Never used to assert speed.</summary>
internal static class Timeouts
{
    public static CancellationToken Token(int seconds = 20) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;
}
