using System.Globalization;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace StreamingBeam.Extensions.AI;

/// <summary>Turns what an <c>IChatClient</c> or image generator threw into a <see cref="ProviderException"/> that names
/// the adapter's operation, the model and the HTTP status, says whether trying again can succeed, and carries what the
/// provider reported as spent. The SDK's exception stays as the inner exception.</summary>
/// <remarks>
/// <list type="bullet">
/// <item>HTTP 429: <see cref="ProviderRateLimitedException"/>, with the wait the service asked for
/// (<see cref="RetryAfterReader"/>). A 429 that says the account's quota or credit is used up
/// (<c>insufficient_quota</c>) is not a rate limit: waiting does not help, so it is a <see cref="ProviderException"/>
/// that is not transient.</item>
/// <item>Any other status: transient for 408 and 5xx, not for other 4xx; never for a content-policy refusal.</item>
/// <item>No status: a timeout (a cancellation the caller did not ask for) and a network error are transient; an error
/// the SDK raised while reading a reply (an empty <c>choices</c> array, malformed JSON) is a
/// <see cref="ProviderResponseException"/>; anything else is not transient.</item>
/// </list>
/// </remarks>
internal static class ProviderErrors
{
    private const int MaxDetailLength = 300;

    private static readonly string[] ContentPolicyMarkers =
        ["content_policy_violation", "content_filter", "ResponsibleAIPolicyViolation", "content management policy"];

    /// <summary>Says whether an exception from the client is translated: everything but the caller's own cancellation
    /// and an exception that already is a <see cref="ProviderException"/> (a provider below that already says what it is).</summary>
    public static bool ShouldTranslate(Exception exception, CancellationToken cancellationToken) =>
        exception is not ProviderException
        && !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested);

    /// <summary>Translates <paramref name="exception"/>, thrown by the client during <paramref name="operation"/>.</summary>
    /// <param name="exception">What the client threw.</param>
    /// <param name="operation">The adapter's operation, for example <c>ChatClientLlm.CombineAsync</c>.</param>
    /// <param name="model">The model the call was for, or <see langword="null"/> when unknown.</param>
    /// <param name="usage">What the provider reported as spent before it failed (for example a stream's usage).</param>
    /// <param name="now">The local time, for a <c>Retry-After</c> date.</param>
    public static ProviderException Translate(Exception exception, string operation, string? model, ProviderUsage usage, DateTimeOffset now)
    {
        var http = HttpFailure.From(exception);
        var subject = model is null ? operation : $"{operation} on model {model}";
        var detail = Detail(exception);
        if (http.Status is { } status)
        {
            var statusText = http.ReasonPhrase is null
                ? string.Create(CultureInfo.InvariantCulture, $"HTTP {status}")
                : string.Create(CultureInfo.InvariantCulture, $"HTTP {status} {http.ReasonPhrase}");
            if (status == 429)
            {
                if (Mentions(http.Text, "insufficient_quota"))
                {
                    return new ProviderException($"{subject} failed: the account's quota or credit is used up ({statusText}, insufficient_quota); waiting will not help. {detail}.", exception)
                    {
                        Operation = operation, Model = model, StatusCode = status, Usage = usage, IsTransient = false,
                    };
                }

                var retryAfter = RetryAfterReader.Read(http.Header, http.Text, now);
                var wait = retryAfter is { } delay
                    ? string.Create(CultureInfo.InvariantCulture, $"the service asked to wait {delay.TotalSeconds:0.###} s")
                    : "the service did not say how long to wait";
                return new ProviderRateLimitedException($"{subject} was rate limited ({statusText}); {wait}. {detail}.", retryAfter, exception)
                {
                    Operation = operation, Model = model, Usage = usage,
                };
            }

            var refused = status is >= 400 and < 500 && ContentPolicyMarkers.Any(marker => Mentions(http.Text, marker));
            var what = refused ? $"the service refused it under its content policy ({statusText})" : statusText;
            return new ProviderException($"{subject} failed: {what}. {detail}.", exception)
            {
                Operation = operation,
                Model = model,
                StatusCode = status,
                Usage = usage,
                IsTransient = !refused && ProviderFailures.IsTransientStatus(status),
            };
        }

        var chain = HttpFailure.Chain(exception).ToList();
        if (chain.Exists(e => e is OperationCanceledException or TimeoutException))
        {
            // Not the caller's cancellation (that is never translated): the client's or the HTTP stack's own timeout.
            return Transient($"{subject} failed: the call timed out. {detail}.", exception, operation, model, usage);
        }

        if (chain.Exists(e => e is HttpRequestException or SocketException or IOException))
        {
            return Transient($"{subject} failed: the service could not be reached, or the connection broke. {detail}.", exception, operation, model, usage);
        }

        if (chain.Exists(IsReplyReadingError))
        {
            var reason = model is null
                ? $"the client could not read the service's reply ({detail})"
                : $"the client could not read the reply of model {model} ({detail})";
            return new ProviderResponseException(operation, reason, rawReply: null, exception) { Model = model, Usage = usage };
        }

        return new ProviderException($"{subject} failed: {detail}.", exception)
        {
            Operation = operation, Model = model, Usage = usage, IsTransient = ProviderFailures.IsTransient(exception),
        };
    }

    /// <summary>The errors an SDK raises when a reply it received does not have the shape it expects: an empty
    /// <c>choices</c> array indexed anyway (a list's indexer names its parameter <c>index</c>; an argument check of the
    /// request names another), a missing field, malformed JSON.</summary>
    private static bool IsReplyReadingError(Exception exception) => exception is
        JsonException or FormatException or ArgumentOutOfRangeException { ParamName: "index" } or IndexOutOfRangeException
        or KeyNotFoundException or NullReferenceException or InvalidCastException;

    private static ProviderException Transient(string message, Exception exception, string operation, string? model, ProviderUsage usage) =>
        new(message, exception) { Operation = operation, Model = model, Usage = usage, IsTransient = true };

    private static bool Mentions(string text, string marker) => text.Contains(marker, StringComparison.OrdinalIgnoreCase);

    /// <summary>The SDK's exception as one short line, "Type: message" without a final period, so that a log or an event says what the SDK said
    /// without a multi-line body or a header dump.</summary>
    private static string Detail(Exception exception)
    {
        var message = new StringBuilder();
        var space = false;
        foreach (var c in exception.Message)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = message.Length > 0;
                continue;
            }

            if (message.Length >= MaxDetailLength)
            {
                message.Append('…');
                break;
            }

            if (space)
            {
                message.Append(' ');
                space = false;
            }

            message.Append(c);
        }

        return $"{exception.GetType().Name}: {message.ToString().TrimEnd('.')}";
    }
}
