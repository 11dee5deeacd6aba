namespace StreamingBeam.Benchmarks.Limits;

/// <summary>The per-call retry policy of strategy (c): exponential back-off with jitter, honouring <c>Retry-After</c> as
/// the least delay, as the OpenAI client's own retries, Polly's retry strategy with <c>UseJitter</c> and the standard HTTP
/// resilience handler do.</summary>
/// <remarks>
/// The delay before retry <c>k</c> (1-based) is <c>max(Retry-After, min(MaxDelay, BaseDelay * 2^(k-1)) * (0.5 + u))</c>
/// with <c>u</c> uniform in [0, 1), drawn from a generator seeded by the prompt and <c>k</c>, so that runs on the same
/// draws jitter alike. The defaults are the common ones (3 retries, 2 s base, 30 s maximum) scaled as the latencies are:
/// a real image takes about 120 times the simulated one.
/// </remarks>
/// <param name="MaxRetries">Retries after the first attempt.</param>
/// <param name="BaseDelay">The first retry's delay before jitter.</param>
/// <param name="MaxDelay">The most any retry's delay grows to before jitter.</param>
internal sealed record PerLaneRetryPolicy(int MaxRetries, TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    /// <summary>The scale of the simulated latencies against real ones.</summary>
    public const double TimeScale = 120;

    /// <summary>Gets the common defaults, scaled: 3 retries, 2 s and 30 s over <see cref="TimeScale"/>.</summary>
    public static PerLaneRetryPolicy Default { get; } = new(3, TimeSpan.FromSeconds(2 / TimeScale), TimeSpan.FromSeconds(30 / TimeScale));

    /// <summary>Gets the same policy retrying until the call is accepted.</summary>
    public static PerLaneRetryPolicy Forever { get; } = Default with { MaxRetries = int.MaxValue };

    /// <summary>Gets the delay before retry <paramref name="retry"/> (1-based) of the call for <paramref name="prompt"/>.</summary>
    public TimeSpan Delay(string prompt, int retry, TimeSpan? retryAfter)
    {
        var exponential = Math.Min(MaxDelay.Ticks, BaseDelay.Ticks * Math.Pow(2, Math.Min(retry - 1, 62)));
        var jitter = 0.5 + new Random(StableSeed(prompt, retry)).NextDouble();
        var delay = TimeSpan.FromTicks((long)(exponential * jitter));
        return retryAfter is { } after && after > delay ? after : delay;
    }

    private static int StableSeed(string prompt, int retry)
    {
        // FNV-1a: string.GetHashCode differs from process to process.
        var hash = 2166136261u;
        foreach (var c in prompt)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)((hash ^ (uint)retry) * 16777619u);
    }
}
