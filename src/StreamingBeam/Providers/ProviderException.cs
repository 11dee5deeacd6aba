namespace StreamingBeam;

/// <summary>A provider call failed: the service refused it, could not be reached, or answered with something the caller
/// cannot use. Says which operation failed, on which model, with which HTTP status, whether trying again can succeed,
/// and what the provider reported as spent.</summary>
/// <remarks>
/// <para>
/// Adapters wrap the errors of the SDKs they call in this type (or <see cref="ProviderRateLimitedException"/> for a
/// rate limit, <see cref="ProviderOutputException"/> for unusable output), keeping the SDK's exception as
/// <see cref="Exception.InnerException"/>, so that an event or a log names the operation instead of an SDK's internals.
/// </para>
/// <para>
/// The engines retry a failure only when it is transient (see <see cref="ProviderFailures.IsTransient"/>), and count
/// <see cref="Usage"/> whether the call succeeded or not: a provider that charged for a failed call was still paid.
/// </para>
/// </remarks>
public class ProviderException : Exception
{
    private readonly bool? _isTransient;

    /// <summary>Initializes a new instance of the <see cref="ProviderException"/> class.</summary>
    public ProviderException()
        : base("A provider call failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ProviderException"/> class.</summary>
    /// <param name="message">Which operation failed and why; never a model's output or a user's prompt.</param>
    public ProviderException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ProviderException"/> class.</summary>
    /// <param name="message">Which operation failed and why; never a model's output or a user's prompt.</param>
    /// <param name="innerException">The error the provider's SDK or transport raised, or <see langword="null"/>.</param>
    public ProviderException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the operation that failed, for example <c>ChatClientLlm.CombineAsync</c>, or <see langword="null"/>
    /// when unknown.</summary>
    public string? Operation { get; init; }

    /// <summary>Gets the model the call was for, or <see langword="null"/> when unknown.</summary>
    public string? Model { get; init; }

    /// <summary>Gets the HTTP status the service answered with, or <see langword="null"/> when there was none (the
    /// service was not reached, or the provider is not HTTP).</summary>
    public int? StatusCode { get; init; }

    /// <summary>Gets what the provider reported as consumed by the failed call (for example the tokens of a reply that
    /// could not be used); zero when it reported nothing.</summary>
    /// <remarks>The engines add it to the search's or run's usage and budgets like a successful call's.</remarks>
    public ProviderUsage Usage { get; init; }

    /// <summary>Gets a value indicating whether the same call may succeed when tried again.</summary>
    /// <value>
    /// When not set: <see langword="true"/> for HTTP 408, 429 and 5xx, <see langword="false"/> for any other status and
    /// when there is no status. Set it to say so explicitly, for example <see langword="true"/> for a network error
    /// that never reached the service.
    /// </value>
    public bool IsTransient
    {
        get => _isTransient ?? ProviderFailures.IsTransientStatus(StatusCode);
        init => _isTransient = value;
    }
}
