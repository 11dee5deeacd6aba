namespace StreamingBeam;

/// <summary>A provider refused a call because its quota (requests or tokens per minute, per key) is used up, and may say
/// when to try again.</summary>
/// <remarks>
/// <para>
/// The engines do not treat it as a failure of the candidate or extractor: they pause every call to that provider kind,
/// for every search or run of the engine, until <see cref="RetryAfter"/> has passed, and then try the call again, oldest
/// waiting call first. Only when the call has waited longer than the search's
/// <see cref="BeamRetryOptions.MaxRateLimitWait"/> (or the run's <see cref="ExtractionRunOptions.MaxRateLimitWait"/>)
/// does it fail, with an error that says so.
/// </para>
/// <para>
/// The Microsoft.Extensions.AI adapters throw it for an HTTP 429, reading <c>Retry-After</c>, <c>retry-after-ms</c> and
/// the <c>x-ratelimit-reset-*</c> headers. A provider of your own throws it the same way.
/// </para>
/// </remarks>
public class ProviderRateLimitedException : ProviderException
{
    /// <summary>Initializes a new instance of the <see cref="ProviderRateLimitedException"/> class.</summary>
    public ProviderRateLimitedException()
        : this("A provider refused the call: its rate limit was reached.", null, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ProviderRateLimitedException"/> class.</summary>
    /// <param name="message">Which operation was refused.</param>
    public ProviderRateLimitedException(string message)
        : this(message, null, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ProviderRateLimitedException"/> class.</summary>
    /// <param name="message">Which operation was refused.</param>
    /// <param name="innerException">The error the provider's SDK or transport raised, or <see langword="null"/>.</param>
    public ProviderRateLimitedException(string message, Exception? innerException)
        : this(message, null, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ProviderRateLimitedException"/> class.</summary>
    /// <param name="message">Which operation was refused.</param>
    /// <param name="retryAfter">How long the provider asked callers to wait, or <see langword="null"/> when it did not say.</param>
    /// <param name="innerException">The error the provider's SDK or transport raised, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="retryAfter"/> is negative.</exception>
    public ProviderRateLimitedException(string message, TimeSpan? retryAfter, Exception? innerException)
        : base(message, innerException)
    {
        if (retryAfter < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(retryAfter), retryAfter, "RetryAfter must be zero or more.");
        }

        RetryAfter = retryAfter;
        StatusCode = 429;
        IsTransient = true;
    }

    /// <summary>Gets how long the provider asked callers to wait before the next call, or <see langword="null"/> when it
    /// did not say (the engines then pause for their retry back-off delay).</summary>
    public TimeSpan? RetryAfter { get; }
}
