namespace StreamingBeam;

/// <summary>What one or more provider calls consumed: tokens, images and money.</summary>
/// <remarks>
/// <para>
/// A value type so that engines can add usage up on hot paths without allocating.
/// Providers that do not know a figure leave it at zero.
/// </para>
/// <para>
/// <b>What one call may report.</b> Every figure of one call's usage is at least zero and at most
/// <see cref="MaxTokensPerCall"/>, <see cref="MaxImagesPerCall"/> or <see cref="MaxCostPerCall"/>. The engines treat
/// a call that reports anything else as a call that returned unusable output (a <see cref="ProviderOutputException"/>
/// naming the provider and the figure): the usage is not counted, and that candidate or extractor fails.
/// </para>
/// <para>
/// <b>Totals never wrap.</b> Addition saturates: a figure that would pass its type's maximum (or minimum) stays at it,
/// instead of wrapping around to a wrong value or throwing <see cref="OverflowException"/> in the middle of a search.
/// A saturated total reads as "at least this much", which is still what a budget must stop on.
/// </para>
/// </remarks>
/// <param name="InputTokens">Tokens sent to a model.</param>
/// <param name="OutputTokens">Tokens produced by a model.</param>
/// <param name="Images">Images generated.</param>
/// <param name="Cost">Money spent, in the caller's currency unit (for example US dollars).</param>
public readonly record struct ProviderUsage(long InputTokens = 0, long OutputTokens = 0, int Images = 0, decimal Cost = 0m)
{
    /// <summary>The most input or output tokens one call may report (10^12): far above any model's context, and low
    /// enough that no realistic number of calls can reach <see cref="long.MaxValue"/>.</summary>
    public const long MaxTokensPerCall = 1_000_000_000_000;

    /// <summary>The most images one call may report (10^6).</summary>
    public const int MaxImagesPerCall = 1_000_000;

    /// <summary>The most money one call may report (10^12 currency units): absurd in any currency or sub-unit, and far
    /// from <see cref="decimal.MaxValue"/>.</summary>
    public const decimal MaxCostPerCall = 1_000_000_000_000m;

    /// <summary>Gets a usage with every figure at zero.</summary>
    public static ProviderUsage None => default;

    /// <summary>Gets the total number of tokens, input and output; saturates at <see cref="long.MaxValue"/>.</summary>
    public long TotalTokens => SaturatingAdd(InputTokens, OutputTokens);

    /// <summary>Adds two usages figure by figure. Each figure saturates at its type's maximum or minimum instead of
    /// wrapping or throwing.</summary>
    /// <param name="left">The first usage.</param>
    /// <param name="right">The second usage.</param>
    /// <returns>The sum of both.</returns>
    public static ProviderUsage operator +(ProviderUsage left, ProviderUsage right) =>
        new(SaturatingAdd(left.InputTokens, right.InputTokens),
            SaturatingAdd(left.OutputTokens, right.OutputTokens),
            SaturatingAdd(left.Images, right.Images),
            SaturatingAdd(left.Cost, right.Cost));

    /// <summary>Adds another usage to this one figure by figure, saturating like the + operator.</summary>
    /// <param name="other">The usage to add.</param>
    /// <returns>The sum of both.</returns>
    public ProviderUsage Add(ProviderUsage other) => this + other;

    private static long SaturatingAdd(long left, long right)
    {
        var sum = unchecked(left + right);

        // Overflow happened exactly when both operands have the same sign and the sum's sign differs from it.
        return ((left ^ sum) & (right ^ sum)) < 0 ? (left < 0 ? long.MinValue : long.MaxValue) : sum;
    }

    private static int SaturatingAdd(int left, int right) =>
        (int)Math.Clamp((long)left + right, int.MinValue, int.MaxValue);

    private static decimal SaturatingAdd(decimal left, decimal right)
    {
        // Compared first because decimal addition throws on overflow, and a throw per addition would be costly.
        if (left > 0 && right > decimal.MaxValue - left)
        {
            return decimal.MaxValue;
        }

        if (left < 0 && right < decimal.MinValue - left)
        {
            return decimal.MinValue;
        }

        return left + right;
    }
}
