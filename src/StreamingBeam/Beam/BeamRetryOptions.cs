using StreamingBeam.Validation;

namespace StreamingBeam;

/// <summary>How a beam search retries provider calls that fail with a transient fault.</summary>
/// <remarks>
/// The delay before retry <c>k</c> (from 1) is <c>min(BaseDelay * BackoffMultiplier^(k-1), MaxDelay)</c>, measured
/// with the engine's <see cref="TimeProvider"/>. A retried call keeps its candidate's lane; the lane fails only when
/// the last attempt fails.
/// </remarks>
public sealed class BeamRetryOptions
{
    /// <summary>Gets or sets how many times a failed call is retried.</summary>
    /// <value>The default value is 0: no retries. At most 10.</value>
    public int MaxRetries { get; set; }

    /// <summary>Gets or sets the delay before the first retry.</summary>
    /// <value>The default value is 500 milliseconds.</value>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Gets or sets the factor each following delay grows by.</summary>
    /// <value>The default value is 2. At least 1.</value>
    public double BackoffMultiplier { get; set; } = 2.0;

    /// <summary>Gets or sets the longest delay between two attempts.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long one call may wait in total for rate-limit cooldowns
    /// (<see cref="ProviderRateLimitedException"/>) before it fails as a candidate failure.</summary>
    /// <value>The default value is 5 minutes. Zero or more; zero fails a call at its first rate limit.</value>
    /// <remarks>Rate-limited attempts do not count against <see cref="MaxRetries"/>: the call did not fail, the
    /// provider asked it to wait. A call refused again when the cooldown ends waits for the next one, until this much
    /// time has passed since its first refusal.</remarks>
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets which failures are worth retrying, or <see langword="null"/> for the default rule.</summary>
    /// <value>
    /// The default value is <see langword="null"/>: <see cref="ProviderFailures.IsTransient"/>, which retries timeouts,
    /// HTTP 408 and 5xx, network errors, and <see cref="ProviderException"/>s that say they are transient, and never
    /// other 4xx, unusable output or exceptions it does not know. Cancellation of the search is never retried. A rate
    /// limit is not a failure: it waits for the provider's cooldown (see <see cref="MaxRateLimitWait"/>).
    /// </value>
    /// <remarks>To extend the rule rather than replace it: <c>ShouldRetry = ex =&gt; ProviderFailures.IsTransient(ex) || ex is MyError</c>.</remarks>
    [System.Text.Json.Serialization.JsonIgnore]
    public Func<Exception, bool>? ShouldRetry { get; set; }

    internal bool IsRetryable(Exception exception) =>
        ShouldRetry?.Invoke(exception) ?? ProviderFailures.IsTransient(exception);

    internal void Validate(ValidationErrors errors)
    {
        if (MaxRetries is < 0 or > 10)
        {
            errors.Add("Retry.MaxRetries", "between 0 and 10", MaxRetries);
        }

        errors.AddIfBadDelay("Retry.BaseDelay", BaseDelay, zeroAllowed: true, string.Empty);
        if (!(BackoffMultiplier >= 1))
        {
            errors.Add("Retry.BackoffMultiplier", "at least 1", BackoffMultiplier);
        }

        errors.AddIfBadDelay("Retry.MaxRateLimitWait", MaxRateLimitWait, zeroAllowed: true, string.Empty);
        if (MaxDelay < BaseDelay)
        {
            errors.Add("Retry.MaxDelay", $"at least Retry.BaseDelay ({BaseDelay})", MaxDelay);
        }
        else
        {
            errors.AddIfBadDelay("Retry.MaxDelay", MaxDelay, zeroAllowed: true, string.Empty);
        }
    }

    internal TimeSpan DelayBefore(int retry)
    {
        var ticks = BaseDelay.Ticks * Math.Pow(BackoffMultiplier, retry - 1);
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    internal BeamRetryOptions Clone() => (BeamRetryOptions)MemberwiseClone();
}
