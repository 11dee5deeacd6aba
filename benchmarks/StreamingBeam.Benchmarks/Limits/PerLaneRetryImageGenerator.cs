using System.Globalization;

namespace StreamingBeam.Benchmarks.Limits;

/// <summary>Strategy (c): what a per-call retry policy does about a 429 (the OpenAI client's own retries, Polly's retry
/// strategy, the standard HTTP resilience handler). Each call catches its own refusal and retries on its own with
/// exponential back-off and jitter, honouring <c>Retry-After</c> as the least delay, knowing nothing of the other lanes.
/// The engine never sees the 429; when the attempts run out, the call fails (not as a rate limit, so the engine does not
/// start its cooldown either) and so does the candidate.</summary>
/// <remarks>
/// The delay before retry <c>k</c> (1-based) is <c>max(Retry-After, min(MaxDelay, BaseDelay * 2^(k-1)) * (0.5 + u))</c>
/// with <c>u</c> uniform in [0, 1), drawn from a generator seeded by the prompt and <c>k</c>, so two runs on the same
/// draws jitter alike. The defaults are the common ones scaled as the latencies are (a real image takes about 120 times
/// the simulated one): 3 retries, a base delay of 2 s / 120, and a maximum delay of 30 s / 120.
/// </remarks>
internal sealed class PerLaneRetryImageGenerator(IImageGenerator inner, ImageCallLog log, int maxRetries) : DelegatingImageGenerator(inner)
{
    public static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(2000.0 / 120);

    public static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(30_000.0 / 120);

    public int MaxRetries => maxRetries;

    public override async Task<GeneratedImage> GenerateAsync(string prompt, CancellationToken cancellationToken = default)
    {
        for (var retry = 0; ; retry++)
        {
            try
            {
                return await base.GenerateAsync(prompt, cancellationToken);
            }
            catch (ProviderRateLimitedException refusal) when (retry < maxRetries)
            {
                await Task.Delay(Delay(prompt, retry + 1, refusal.RetryAfter), TimeProvider.System, cancellationToken);
            }
            catch (ProviderRateLimitedException refusal)
            {
                log.GaveUp(prompt);
                throw new ProviderException(
                    string.Create(CultureInfo.InvariantCulture, $"The image call was refused {retry + 1} times (per-lane retry, {maxRetries} retries)."),
                    refusal)
                {
                    StatusCode = 429,
                    IsTransient = false,
                };
            }
        }
    }

    /// <summary>The delay before retry <paramref name="retry"/> (1-based) of the call for <paramref name="prompt"/>.</summary>
    public static TimeSpan Delay(string prompt, int retry, TimeSpan? retryAfter)
    {
        var exponential = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, retry - 1));
        var jitter = 0.5 + new Random(StableSeed(prompt, retry)).NextDouble();
        var delay = TimeSpan.FromMilliseconds(exponential * jitter);
        return retryAfter is { } after && after > delay ? after : delay;
    }

    private static int StableSeed(string prompt, int retry)
    {
        // FNV-1a: string.GetHashCode differs between processes.
        var hash = 2166136261u;
        foreach (var c in prompt)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)((hash ^ (uint)retry) * 16777619u);
    }
}
