using System.Net.Http;
using System.Net.Sockets;

namespace StreamingBeam;

/// <summary>Tells failures worth trying again from failures that will happen again: the rule the engines retry by,
/// public so that a <see cref="BeamRetryOptions.ShouldRetry"/> hook can extend it instead of starting over.</summary>
public static class ProviderFailures
{
    /// <summary>Says whether a provider call that failed with <paramref name="exception"/> may succeed when tried again.</summary>
    /// <param name="exception">The failure.</param>
    /// <returns>
    /// <see langword="true"/> for a rate limit, a timeout, HTTP 408, 429 or 5xx, and a network error that never got a
    /// status (<see cref="HttpRequestException"/> without a status, <see cref="SocketException"/>, <see cref="IOException"/>);
    /// for a <see cref="ProviderException"/>, its <see cref="ProviderException.IsTransient"/>. <see langword="false"/> for
    /// everything else: other 4xx (400, 401, 403, 404, 422: the same request is refused again), content-policy refusals,
    /// unusable output (<see cref="ProviderOutputException"/>), and exceptions this rule does not know, which are most
    /// often defects that repeat.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is <see langword="null"/>.</exception>
    public static bool IsTransient(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            ProviderOutputException => false,
            ProviderException provider => provider.IsTransient,
            TimeoutException => true,
            HttpRequestException http => http.StatusCode is null || IsTransientStatus((int)http.StatusCode),
            SocketException or IOException => true,

            // HttpClient reports its own timeout as a cancellation whose inner exception is a TimeoutException.
            OperationCanceledException { InnerException: TimeoutException } => true,
            _ => false,
        };
    }

    /// <summary>Says whether an HTTP status means "try again later": 408, 429 and 5xx.</summary>
    /// <param name="statusCode">The status, or <see langword="null"/> for none.</param>
    /// <returns><see langword="true"/> for 408, 429 and 500-599.</returns>
    public static bool IsTransientStatus(int? statusCode) => statusCode is 408 or 429 or (>= 500 and <= 599);
}
