using System.Globalization;

namespace StreamingBeam;

/// <summary>The one rule for what a single provider call may report as its <see cref="ProviderUsage"/>: each figure
/// between zero and its documented per-call maximum (<see cref="ProviderUsage.MaxTokensPerCall"/>,
/// <see cref="ProviderUsage.MaxImagesPerCall"/>, <see cref="ProviderUsage.MaxCostPerCall"/>).</summary>
/// <remarks>Engines call <see cref="Require"/> on every call's usage before counting it, so that a provider's bug
/// (a negative count, a garbage cost) fails that one call instead of corrupting the search's totals and budgets.
/// Checkpoints use <see cref="FindProblem"/> on saved totals, which have no per-call maximum.</remarks>
internal static class UsageCheck
{
    /// <summary>Returns <paramref name="usage"/> when one call may report it; otherwise throws.</summary>
    /// <param name="usage">What the call reported.</param>
    /// <param name="operation">The provider call, for example <c>IImageGenerator.GenerateAsync</c>.</param>
    /// <returns><paramref name="usage"/>.</returns>
    /// <exception cref="ProviderOutputException">A figure is negative or above its per-call maximum; the message
    /// names <paramref name="operation"/>, the figure and its value.</exception>
    public static ProviderUsage Require(ProviderUsage usage, string operation)
    {
        if (FindProblem(usage, perCall: true) is { } problem)
        {
            throw new ProviderOutputException($"{operation} reported unusable usage: {problem}.");
        }

        return usage;
    }

    /// <summary>Returns what a failed call's provider reported as spent (<see cref="ProviderException.Usage"/>) when one
    /// call may report it, and nothing otherwise: both engines count it, and absurd figures never reach a total.</summary>
    /// <param name="exception">The call's failure.</param>
    /// <returns>The usage to count, or zero.</returns>
    public static ProviderUsage ReportedBy(Exception exception) =>
        exception is ProviderException { Usage: var usage } && FindProblem(usage, perCall: true) is null ? usage : default;

    /// <summary>Describes the first figure of <paramref name="usage"/> that breaks the rule, or returns
    /// <see langword="null"/> when none does.</summary>
    /// <param name="usage">The usage.</param>
    /// <param name="perCall">Whether the per-call maxima apply (one call's usage), or only "not negative" (a total).</param>
    /// <returns>For example <c>InputTokens is -3; it must be between 0 and 1000000000000</c>.</returns>
    public static string? FindProblem(ProviderUsage usage, bool perCall)
    {
        return Check(nameof(ProviderUsage.InputTokens), usage.InputTokens, ProviderUsage.MaxTokensPerCall)
            ?? Check(nameof(ProviderUsage.OutputTokens), usage.OutputTokens, ProviderUsage.MaxTokensPerCall)
            ?? Check(nameof(ProviderUsage.Images), usage.Images, ProviderUsage.MaxImagesPerCall)
            ?? Check(nameof(ProviderUsage.Cost), usage.Cost, ProviderUsage.MaxCostPerCall);

        string? Check(string figure, decimal value, decimal max)
        {
            if (value >= 0 && (!perCall || value <= max))
            {
                return null;
            }

            return perCall
                ? string.Create(CultureInfo.InvariantCulture, $"{figure} is {value}; it must be between 0 and {max}")
                : string.Create(CultureInfo.InvariantCulture, $"{figure} is {value}; it must not be negative");
        }
    }
}
