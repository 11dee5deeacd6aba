using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http;

namespace StreamingBeam.Extensions.AI;

/// <summary>What an SDK's exception tells about the HTTP answer behind it: the status, the headers and the error text.
/// Reads <see cref="ClientResultException"/> (the official OpenAI and Azure OpenAI clients, and every client built on
/// System.ClientModel) and <see cref="HttpRequestException"/> (clients built on <see cref="HttpClient"/>), wherever
/// they are in the exception's chain.</summary>
internal sealed class HttpFailure
{
    // Deep enough for any decorator chain; bounded so that a cyclic or absurd chain cannot loop.
    private const int MaxDepth = 16;

    private static readonly Func<string, string?> NoHeaders = _ => null;

    private HttpFailure(int? status, string? reasonPhrase, Func<string, string?> header, string text)
    {
        Status = status;
        ReasonPhrase = reasonPhrase;
        Header = header;
        Text = text;
    }

    /// <summary>Gets the HTTP status, or <see langword="null"/> when the service gave none (it was not reached, or the
    /// SDK does not say).</summary>
    public int? Status { get; }

    /// <summary>Gets the status's reason phrase (for example <c>Not Found</c>), or <see langword="null"/>.</summary>
    public string? ReasonPhrase { get; }

    /// <summary>Gets a case-insensitive lookup of the answer's headers; <see langword="null"/> for a header it lacks,
    /// and for every header when the SDK does not expose them.</summary>
    public Func<string, string?> Header { get; }

    /// <summary>Gets the error text to search for what the service said: the exception's message and, when the SDK
    /// kept it, the answer's body.</summary>
    public string Text { get; }

    /// <summary>Reads what <paramref name="exception"/> and its inner exceptions say about the HTTP answer. The first
    /// exception in the chain that has a status wins; without one, the status is <see langword="null"/>.</summary>
    public static HttpFailure From(Exception exception)
    {
        foreach (var candidate in Chain(exception))
        {
            switch (candidate)
            {
                case ClientResultException { Status: > 0 } result:
                    return FromClientResult(result);
                case HttpRequestException { StatusCode: { } statusCode } http:
                    return new HttpFailure((int)statusCode, null, NoHeaders, http.Message);
            }
        }

        return new HttpFailure(null, null, NoHeaders, exception.Message);
    }

    /// <summary>Lists <paramref name="exception"/> and the exceptions it wraps, outermost first: inner exceptions, and
    /// the last of an <see cref="AggregateException"/>'s (a client's retry policy aggregates every attempt's failure, and
    /// the last attempt is the one that decided).</summary>
    public static IEnumerable<Exception> Chain(Exception exception)
    {
        var current = exception;
        for (var depth = 0; current is not null && depth < MaxDepth; depth++)
        {
            yield return current;
            current = current is AggregateException { InnerExceptions: [.., var last] } ? last : current.InnerException;
        }
    }

    private static HttpFailure FromClientResult(ClientResultException exception)
    {
        var response = exception.GetRawResponse();
        if (response is null)
        {
            return new HttpFailure(exception.Status, null, NoHeaders, exception.Message);
        }

        var headers = response.Headers;
        return new HttpFailure(
            exception.Status,
            string.IsNullOrEmpty(response.ReasonPhrase) ? null : response.ReasonPhrase,
            name => headers.TryGetValue(name, out var value) ? value : null,
            exception.Message + "\n" + BufferedBody(response));
    }

    private static string BufferedBody(PipelineResponse response)
    {
        try
        {
            return response.Content.ToString();
        }
        catch (InvalidOperationException)
        {
            // The body was streamed and not kept: the message is all there is.
            return string.Empty;
        }
    }
}
