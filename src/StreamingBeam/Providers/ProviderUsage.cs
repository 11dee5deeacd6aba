namespace StreamingBeam;

/// <summary>What one or more provider calls consumed: tokens, images and money.</summary>
/// <remarks>
/// A value type so that engines can add usage up on hot paths without allocating.
/// Providers that do not know a figure leave it at zero.
/// </remarks>
/// <param name="InputTokens">Tokens sent to a model.</param>
/// <param name="OutputTokens">Tokens produced by a model.</param>
/// <param name="Images">Images generated.</param>
/// <param name="Cost">Money spent, in the caller's currency unit (for example US dollars).</param>
public readonly record struct ProviderUsage(long InputTokens = 0, long OutputTokens = 0, int Images = 0, decimal Cost = 0m)
{
    /// <summary>Gets a usage with every figure at zero.</summary>
    public static ProviderUsage None => default;

    /// <summary>Gets the total number of tokens, input and output.</summary>
    public long TotalTokens => InputTokens + OutputTokens;

    /// <summary>Adds two usages figure by figure.</summary>
    /// <param name="left">The first usage.</param>
    /// <param name="right">The second usage.</param>
    /// <returns>The sum of both.</returns>
    public static ProviderUsage operator +(ProviderUsage left, ProviderUsage right) =>
        new(left.InputTokens + right.InputTokens,
            left.OutputTokens + right.OutputTokens,
            left.Images + right.Images,
            left.Cost + right.Cost);

    /// <summary>Adds another usage to this one figure by figure.</summary>
    /// <param name="other">The usage to add.</param>
    /// <returns>The sum of both.</returns>
    public ProviderUsage Add(ProviderUsage other) => this + other;
}
