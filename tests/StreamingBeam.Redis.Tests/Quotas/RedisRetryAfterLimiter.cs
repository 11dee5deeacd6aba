using System.Threading.RateLimiting;
using RedisRateLimiting;

namespace StreamingBeam.Redis.Tests.Quotas;

/// <summary>docs/redis.md's adapter, as a user writes it: RedisRateLimiting's window limiters refuse at once and say when
/// to try again under their own metadata name, in whole seconds; this says it in the standard form
/// (<see cref="MetadataName.RetryAfter"/>), so the engine waits for the next window instead of failing the call.</summary>
public sealed class RedisRetryAfterLimiter(RateLimiter inner) : RateLimiter
{
    public override TimeSpan? IdleDuration => inner.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => null; // RedisRateLimiting 1.2.1 throws NotImplementedException

    protected override RateLimitLease AttemptAcquireCore(int permitCount) => Translate(inner.AttemptAcquire(permitCount));

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        Translate(await inner.AcquireAsync(permitCount, cancellationToken));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    // A window that ends within the second reports 0 s: wait a whole second, the limiter's resolution, not 0.
    private static RateLimitLease Translate(RateLimitLease lease) =>
        !lease.IsAcquired && lease.TryGetMetadata(RateLimitMetadataName.RetryAfter, out var seconds)
            ? new Refused(lease, TimeSpan.FromSeconds(Math.Max(1, seconds)))
            : lease;

    private sealed class Refused(RateLimitLease inner, TimeSpan retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => inner.MetadataNames.Append(MetadataName.RetryAfter.Name);

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = retryAfter;
                return true;
            }

            return inner.TryGetMetadata(metadataName, out metadata);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
