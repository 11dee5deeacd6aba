using System.Globalization;
using System.Threading.RateLimiting;

namespace StreamingBeam.Concurrency;

/// <summary>What a call to one provider kind passes before it starts: a concurrency slot, a permit of the user's
/// <see cref="RateLimiter"/>, and the kind's shared <see cref="ProviderCooldown"/>; in that order, each waited for oldest
/// first and given up on cancellation.</summary>
/// <remarks>
/// The slot comes first so that a call holding a rate permit is about to start, not queued behind a slow one; the
/// cooldown comes last so that a refusal that arrives while a call waits for its slot still holds it back. Shared by
/// every search (or run) of an engine.
/// </remarks>
internal sealed class ProviderGate : IDisposable
{
    private readonly AsyncLimiter? _slots;
    private readonly RateLimiter? _rate;
    private readonly string _rateLimiterName;

    /// <summary>Initializes a new instance of the <see cref="ProviderGate"/> class.</summary>
    /// <param name="maxConcurrent">The most calls at once, or <see langword="null"/> for no limit.</param>
    /// <param name="rate">The user's rate limiter, or <see langword="null"/>; never disposed here.</param>
    /// <param name="rateLimiterName">The option that holds <paramref name="rate"/>, for error messages.</param>
    /// <param name="time">The clock of the cooldown.</param>
    public ProviderGate(int? maxConcurrent, RateLimiter? rate, string rateLimiterName, TimeProvider time)
    {
        _slots = maxConcurrent is { } limit ? new AsyncLimiter(limit) : null;
        _rate = rate;
        _rateLimiterName = rateLimiterName;
        Time = time;
        Cooldown = new ProviderCooldown(time);
    }

    /// <summary>Gets the concurrency limit, or <see langword="null"/> for none.</summary>
    public AsyncLimiter? Slots => _slots;

    /// <summary>Gets the shared cooldown of the provider kind.</summary>
    public ProviderCooldown Cooldown { get; }

    public TimeProvider Time { get; }

    /// <summary>Waits for everything a call needs before it starts.</summary>
    /// <param name="maxLimiterWait">How long a refused lease that says when to try again may keep being retried.</param>
    /// <param name="cancellationToken">Cancels the wait; nothing is left held.</param>
    /// <returns>The permit, to dispose when the call has ended.</returns>
    /// <exception cref="ProviderException">The rate limiter refused a permit and did not say when to try again (its
    /// queue is full), or kept refusing for longer than <paramref name="maxLimiterWait"/>.</exception>
    public async ValueTask<Permit> AcquireAsync(TimeSpan maxLimiterWait, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_slots is not null)
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        RateLimitLease? lease = null;
        try
        {
            if (_rate is not null)
            {
                lease = await AcquireLeaseAsync(maxLimiterWait, cancellationToken).ConfigureAwait(false);
            }

            var admittedAt = await Cooldown.WaitAsync(cancellationToken).ConfigureAwait(false);
            return new Permit(this, lease, admittedAt);
        }
        catch
        {
            lease?.Dispose();
            _slots?.Release();
            throw;
        }
    }

    public void Dispose() => Cooldown.Dispose();

    private async ValueTask<RateLimitLease> AcquireLeaseAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var started = Time.GetTimestamp();
        while (true)
        {
            var lease = await _rate!.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
            if (lease.IsAcquired)
            {
                return lease;
            }

            // A limiter without a queue (QueueLimit 0) refuses at once and says when a permit will be free: wait for it,
            // as a queue would have, within the same bound as a provider's own refusal.
            var hasRetryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter);
            lease.Dispose();
            var waited = Time.GetElapsedTime(started);
            if (!hasRetryAfter)
            {
                throw new ProviderException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"The {_rateLimiterName} refused a permit without saying when one will be free (MetadataName.RetryAfter): its queue is full, or it has none. Raise its QueueLimit to at least the number of calls that may wait at once, or wrap it so that a refusal says when to try again (docs/rate-limits.md)."));
            }

            if (waited + retryAfter > maxWait)
            {
                throw new ProviderException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"The {_rateLimiterName} kept refusing a permit for {waited} (next in {retryAfter}), longer than the maximum rate-limit wait of {maxWait}."));
            }

            await Task.Delay(retryAfter, Time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>What a call holds while it runs. Dispose exactly once, when the call has ended.</summary>
    internal readonly struct Permit(ProviderGate gate, RateLimitLease? lease, long admittedAt) : IDisposable
    {
        /// <summary>Gets the timestamp the cooldown admitted the call at.</summary>
        public long AdmittedAt => admittedAt;

        public void Dispose()
        {
            lease?.Dispose();
            gate._slots?.Release();
        }
    }
}
