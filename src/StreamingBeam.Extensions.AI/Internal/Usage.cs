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

    /// <summary>Creates a usage from token counts (missing counts are zero), an image count, and per-unit prices. A
    /// cost too large for <see cref="decimal"/> saturates at <see cref="decimal.MaxValue"/> instead of throwing.</summary>
    public static ProviderUsage From(
        UsageDetails? details,
        decimal costPerInputToken,
        decimal costPerOutputToken,
        int images = 0,
        decimal costPerImage = 0m)
    {
        var input = details?.InputTokenCount ?? 0;
        var output = details?.OutputTokenCount ?? 0;
        decimal cost;
        try
        {
            cost = (input * costPerInputToken) + (output * costPerOutputToken) + (images * costPerImage);
        }
        catch (OverflowException)
        {
            // Absurd counts from a service must not throw from the adapter: the cost saturates, and the engine's
            // per-call usage check reports the call as unusable output, naming the provider and the figure.
            cost = decimal.MaxValue;
        }

        return new ProviderUsage(input, output, images, cost);
    }
}
