using System.Globalization;

namespace StreamingBeam.Benchmarks.Limits;

/// <summary>Strategy (c): what a per-call retry policy does about a 429. Each call catches its own refusal and retries on
/// its own (<see cref="PerLaneRetryPolicy"/>), knowing nothing of the other lanes. The engine never sees the 429; when
/// the retries run out the call fails, not as a rate limit (so the engine does not start its cooldown either), and so
/// does the candidate.</summary>
internal sealed class PerLaneRetryImageGenerator(IImageGenerator inner, ImageCallLog log, PerLaneRetryPolicy policy) : DelegatingImageGenerator(inner)
{
    public override async Task<GeneratedImage> GenerateAsync(string prompt, CancellationToken cancellationToken = default)
    {
        for (var retry = 0; ; retry++)
        {
            try
            {
                return await base.GenerateAsync(prompt, cancellationToken);
            }
            catch (ProviderRateLimitedException refusal) when (retry < policy.MaxRetries)
            {
                await Task.Delay(policy.Delay(prompt, retry + 1, refusal.RetryAfter), TimeProvider.System, cancellationToken);
            }
            catch (ProviderRateLimitedException refusal)
            {
                log.GaveUp(prompt);
                throw new ProviderException(
                    string.Create(CultureInfo.InvariantCulture, $"The image call was refused {retry + 1} times (per-lane retry, {policy.MaxRetries} retries)."),
                    refusal)
                {
                    StatusCode = 429,
                    IsTransient = false,
                };
            }
        }
    }
}
