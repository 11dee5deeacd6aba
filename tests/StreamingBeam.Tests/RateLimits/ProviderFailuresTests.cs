using System.Net;
using System.Net.Sockets;

namespace StreamingBeam.Tests.RateLimits;

/// <summary>The default retry rule: only what can succeed on a second try.</summary>
public class ProviderFailuresTests
{
    public static TheoryData<string, Exception, bool> Cases => new()
    {
        { "rate limited", new ProviderRateLimitedException("429", TimeSpan.FromSeconds(1), null), true },
        { "timeout", new TimeoutException(), true },
        { "HttpClient timeout", new TaskCanceledException("timeout", new TimeoutException()), true },
        { "network error without a status", new HttpRequestException("connection refused"), true },
        { "socket", new SocketException((int)SocketError.ConnectionReset), true },
        { "io", new IOException("reset"), true },
        { "408", new HttpRequestException("408", null, HttpStatusCode.RequestTimeout), true },
        { "500", new HttpRequestException("500", null, HttpStatusCode.InternalServerError), true },
        { "503 provider", new ProviderException("503") { StatusCode = 503 }, true },
        { "400", new HttpRequestException("400", null, HttpStatusCode.BadRequest), false },
        { "401", new ProviderException("401") { StatusCode = 401 }, false },
        { "403", new ProviderException("403") { StatusCode = 403 }, false },
        { "404", new HttpRequestException("404", null, HttpStatusCode.NotFound), false },
        { "422", new ProviderException("422") { StatusCode = 422 }, false },
        { "content policy", new ProviderException("refused by content policy") { StatusCode = 400 }, false },
        { "unusable output", new ProviderOutputException("NaN score"), false },
        { "unusable output even with a 500 on it", new ProviderOutputException("bad") { StatusCode = 500 }, false },
        { "provider says transient", new ProviderException("flaky") { IsTransient = true }, true },
        { "provider without a status", new ProviderException("unknown"), false },
        { "an unknown defect", new InvalidOperationException("bug"), false },
        { "a cancellation", new OperationCanceledException(), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsTransient_RetriesOnlyWhatCanSucceed(string name, Exception exception, bool transient)
    {
        Assert.True(transient == ProviderFailures.IsTransient(exception), name);
    }

    [Fact]
    public void ARateLimitedException_RejectsANegativeRetryAfter()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ProviderRateLimitedException("429", TimeSpan.FromSeconds(-1), null));
        Assert.Equal("retryAfter", ex.ParamName);
    }
}
