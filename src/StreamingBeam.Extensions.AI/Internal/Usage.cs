using Microsoft.Extensions.AI;

namespace StreamingBeam.Extensions.AI;

/// <summary>Converts Microsoft.Extensions.AI usage into StreamingBeam usage and prices it.</summary>
internal static class Usage
{
    /// <summary>Adds <paramref name="details"/> to <paramref name="total"/>, creating it on first use.</summary>
    public static void Accumulate(ref UsageDetails? total, UsageDetails? details)
    {
        if (details is null)
        {
            return;
        }

        total ??= new UsageDetails();
        total.Add(details);
    }

    /// <summary>Creates a usage from token counts (missing counts are zero), an image count, and per-unit prices.</summary>
    public static ProviderUsage From(
        UsageDetails? details,
        decimal costPerInputToken,
        decimal costPerOutputToken,
        int images = 0,
        decimal costPerImage = 0m)
    {
        var input = details?.InputTokenCount ?? 0;
        var output = details?.OutputTokenCount ?? 0;
        var cost = (input * costPerInputToken) + (output * costPerOutputToken) + (images * costPerImage);
        return new ProviderUsage(input, output, images, cost);
    }
}
