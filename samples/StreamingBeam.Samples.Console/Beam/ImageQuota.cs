using System.Globalization;
using StreamingBeam.Testing;

namespace StreamingBeam.Samples.Console.Beam;

/// <summary>The quota <c>--simulated-quota</c> gives the simulated image generator, as a real image API gives an API
/// key: so many images per minute, refilled continuously, and at most <see cref="Burst"/> at once. Calls over it are
/// refused with HTTP 429 and a Retry-After, which the engine has to cope with.</summary>
internal readonly record struct ImageQuota(int ImagesPerMinute, int Burst)
{
    public const int MaxImagesPerMinute = 100_000;
    public const int MaxBurst = 1000;

    public SimulatedQuotaOptions ToOptions() => SimulatedQuotaOptions.PerMinute(ImagesPerMinute, Burst);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{ImagesPerMinute} image{(ImagesPerMinute == 1 ? string.Empty : "s")} per minute, burst {Burst}");

    /// <summary>Reads <c>30</c> (burst 1) or <c>30:5</c>.</summary>
    public static bool TryParse(string text, out ImageQuota quota)
    {
        quota = default;
        var parts = text.Split(':');
        if (parts.Length > 2 || !TryParseCount(parts[0], MaxImagesPerMinute, out var perMinute))
        {
            return false;
        }

        var burst = 1;
        if (parts.Length == 2 && !TryParseCount(parts[1], MaxBurst, out burst))
        {
            return false;
        }

        quota = new ImageQuota(perMinute, burst);
        return true;
    }

    private static bool TryParseCount(string text, int max, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 1 && value <= max;
}
