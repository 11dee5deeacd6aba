using System.Globalization;

namespace StreamingBeam.Testing;

/// <summary>A simulated provider's quota: a token bucket, as a real service keeps one per API key, that answers calls
/// over it with <see cref="ProviderRateLimitedException"/> (HTTP 429) and a <see cref="ProviderRateLimitedException.RetryAfter"/>.</summary>
/// <remarks>
/// <para>
/// The bucket holds at most <see cref="Burst"/> tokens and starts full. It refills continuously, one token every
/// <see cref="Period"/> / <see cref="RequestsPerPeriod"/>, on the provider's <see cref="TimeProvider"/>. Each call takes
/// one token when it arrives, before its latency. A call that finds the bucket empty is refused at once (no latency,
/// no fault draw, no token taken) with <see cref="ProviderRateLimitedException.RetryAfter"/> = the time until the next
/// token, rounded up to whole milliseconds, so a call retried after exactly that long is admitted unless another call
/// took the token first.
/// </para>
/// <para>
/// The bucket belongs to one provider instance and is shared by every operation of it and every search that uses it,
/// as one API key's quota is. Each provider counts the calls it refused (for example
/// <see cref="SimulatedImageGenerator.RateLimitedCalls"/>).
/// </para>
/// </remarks>
public sealed class SimulatedQuotaOptions
{
    /// <summary>The longest <see cref="Period"/> allowed: one day, for quotas such as "100 images per day".</summary>
    public static TimeSpan MaxPeriod { get; } = TimeSpan.FromDays(1);

    /// <summary>Gets or sets how many tokens the bucket gains per <see cref="Period"/>, at least 1.</summary>
    /// <value>The default value is 60.</value>
    public int RequestsPerPeriod { get; set; } = 60;

    /// <summary>Gets or sets the period <see cref="RequestsPerPeriod"/> is counted over, more than zero and at most
    /// <see cref="MaxPeriod"/>.</summary>
    /// <value>The default value is one minute.</value>
    public TimeSpan Period { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets the most tokens the bucket holds, so the most calls admitted at once after a quiet spell, at
    /// least 1; or <see langword="null"/> for a whole period's worth (<see cref="RequestsPerPeriod"/>).</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="RequestsPerPeriod"/>, as providers that state a
    /// limit per minute usually allow.</value>
    public int? Burst { get; set; }

    /// <summary>Creates a quota of <paramref name="requests"/> per second.</summary>
    /// <param name="requests">The calls admitted per second, at least 1.</param>
    /// <param name="burst">The most calls admitted at once, or <see langword="null"/> for <paramref name="requests"/>.</param>
    /// <returns>The options (validated when a provider is built with them).</returns>
    public static SimulatedQuotaOptions PerSecond(int requests, int? burst = null) =>
        new() { RequestsPerPeriod = requests, Period = TimeSpan.FromSeconds(1), Burst = burst };

    /// <summary>Creates a quota of <paramref name="requests"/> per minute, the unit most providers state their limits in.</summary>
    /// <param name="requests">The calls admitted per minute, at least 1.</param>
    /// <param name="burst">The most calls admitted at once, or <see langword="null"/> for <paramref name="requests"/>.</param>
    /// <returns>The options (validated when a provider is built with them).</returns>
    public static SimulatedQuotaOptions PerMinute(int requests, int? burst = null) =>
        new() { RequestsPerPeriod = requests, Period = TimeSpan.FromMinutes(1), Burst = burst };

    /// <summary>Returns the quota as text, for example <c>10 requests per second, burst 5</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var period = Period == TimeSpan.FromSeconds(1) ? "second"
            : Period == TimeSpan.FromMinutes(1) ? "minute"
            : Period == TimeSpan.FromHours(1) ? "hour"
            : Period == TimeSpan.FromDays(1) ? "day"
            : Period.ToString("c", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"{RequestsPerPeriod} request{(RequestsPerPeriod == 1 ? string.Empty : "s")} per {period}, burst {Burst ?? RequestsPerPeriod}");
    }

    /// <summary>Checks every option and throws on the first invalid one, naming it, the rule and the value.</summary>
    /// <param name="owner">The option's full name, for example <c>SimulatedImageGeneratorOptions.Quota</c>.</param>
    /// <param name="parameter">The parameter to name in the exception.</param>
    internal void Validate(string owner, string parameter)
    {
        if (RequestsPerPeriod < 1)
        {
            throw Invalid(nameof(RequestsPerPeriod), "at least 1", RequestsPerPeriod.ToString(CultureInfo.InvariantCulture));
        }

        if (Period <= TimeSpan.Zero || Period > MaxPeriod)
        {
            throw Invalid(nameof(Period), "more than zero and at most 1.00:00:00 (one day)", Period.ToString("c", CultureInfo.InvariantCulture));
        }

        if (Burst < 1)
        {
            throw Invalid(nameof(Burst), "at least 1, or null for RequestsPerPeriod", Burst.Value.ToString(CultureInfo.InvariantCulture));
        }

        ArgumentOutOfRangeException Invalid(string option, string rule, string value) =>
            new(parameter, $"{owner}.{option} must be {rule}; it was {value}.");
    }
}
