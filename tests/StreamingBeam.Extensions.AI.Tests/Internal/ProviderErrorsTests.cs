using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace StreamingBeam.Extensions.AI.Tests.Internal;

/// <summary>What an SDK's exception becomes, for exceptions any HTTP-based client throws. The official OpenAI client's
/// <c>ClientResultException</c> is tested over real HTTP in StreamingBeam.Extensions.AI.OpenAIClient.Tests.</summary>
public class ProviderErrorsTests
{
    private const string Operation = "ChatClientLlm.CombineAsync";
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 15, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.Forbidden, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    [InlineData(HttpStatusCode.UnprocessableEntity, false)]
    [InlineData(HttpStatusCode.RequestTimeout, true)]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.GatewayTimeout, true)]
    public void HttpStatus_IsKept_AndDecidesWhetherItIsTransient(HttpStatusCode status, bool transient)
    {
        var sdk = new HttpRequestException("Response status code does not indicate success.", null, status);

        var error = Translate(sdk, model: "gpt-4o-mini");

        Assert.IsNotType<ProviderRateLimitedException>(error);
        Assert.IsNotAssignableFrom<ProviderOutputException>(error);
        Assert.Equal((int)status, error.StatusCode);
        Assert.Equal(transient, error.IsTransient);
        Assert.Equal(transient, ProviderFailures.IsTransient(error));
        Assert.Equal(Operation, error.Operation);
        Assert.Equal("gpt-4o-mini", error.Model);
        Assert.Same(sdk, error.InnerException);
        Assert.Equal(
            $"ChatClientLlm.CombineAsync on model gpt-4o-mini failed: HTTP {(int)status}. HttpRequestException: Response status code does not indicate success.",
            error.Message);
    }

    [Fact]
    public void Http429_IsRateLimited_WithoutAWait_WhenNothingSaysHowLong()
    {
        var sdk = new HttpRequestException("Response status code does not indicate success: 429 (Too Many Requests).", null, HttpStatusCode.TooManyRequests);

        var error = Assert.IsType<ProviderRateLimitedException>(Translate(sdk));

        Assert.Null(error.RetryAfter);
        Assert.True(error.IsTransient);
        Assert.Equal(429, error.StatusCode);
        Assert.Equal(
            "ChatClientLlm.CombineAsync was rate limited (HTTP 429); the service did not say how long to wait. HttpRequestException: Response status code does not indicate success: 429 (Too Many Requests).",
            error.Message);
    }

    [Fact]
    public void Http429_ReadsTheWaitFromTheMessage_WhenThereAreNoHeaders()
    {
        var sdk = new HttpRequestException("Rate limit reached for gpt-4o-mini. Please try again in 20s.", null, HttpStatusCode.TooManyRequests);

        var error = Assert.IsType<ProviderRateLimitedException>(Translate(sdk, model: "gpt-4o-mini"));

        Assert.Equal(TimeSpan.FromSeconds(20), error.RetryAfter);
        Assert.StartsWith("ChatClientLlm.CombineAsync on model gpt-4o-mini was rate limited (HTTP 429); the service asked to wait 20 s.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Http429_InsufficientQuota_IsNotARateLimit_AndNotTransient()
    {
        var sdk = new HttpRequestException("You exceeded your current quota, please check your plan and billing details. (insufficient_quota)", null, HttpStatusCode.TooManyRequests);

        var error = Translate(sdk);

        Assert.IsNotType<ProviderRateLimitedException>(error);
        Assert.Equal(429, error.StatusCode);
        Assert.False(error.IsTransient);
        Assert.False(ProviderFailures.IsTransient(error));
        Assert.Contains("quota or credit is used up", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Your request was rejected as a result of our safety system. (content_policy_violation)")]
    [InlineData("The response was filtered due to the prompt triggering Azure OpenAI's content management policy.")]
    public void ContentPolicyRefusal_IsNotTransient_AndSaysSo(string message)
    {
        var sdk = new HttpRequestException(message, null, HttpStatusCode.BadRequest);

        var error = Translate(sdk);

        Assert.False(error.IsTransient);
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("the service refused it under its content policy (HTTP 400)", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<Exception> NetworkErrors() =>
    [
        new HttpRequestException("Connection refused (127.0.0.1:1)", new SocketException((int)SocketError.ConnectionRefused)),
        new HttpRequestException("An error occurred while sending the request.", new IOException("The response ended prematurely.")),
        new IOException("Unable to read data from the transport connection."),
        new InvalidOperationException("The client failed.", new SocketException((int)SocketError.ConnectionReset)),
        new AggregateException("Retry failed after 4 tries.", new TimeoutException("one"), new HttpRequestException("two")),
    ];

    [Theory]
    [MemberData(nameof(NetworkErrors))]
    public void NetworkErrorWithoutAStatus_IsTransient(Exception sdk)
    {
        var error = Translate(sdk, model: "m");

        Assert.Null(error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.Same(sdk, error.InnerException);
        Assert.StartsWith("ChatClientLlm.CombineAsync on model m failed: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CancellationTheCallerDidNotAskFor_IsATimeout_AndTransient()
    {
        var sdk = new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.", new TimeoutException());

        Assert.True(ProviderErrors.ShouldTranslate(sdk, CancellationToken.None));
        var error = Translate(sdk);

        Assert.True(error.IsTransient);
        Assert.StartsWith("ChatClientLlm.CombineAsync failed: the call timed out. TaskCanceledException: The request was canceled", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheCallersCancellation_AndProviderExceptions_AreNotTranslated()
    {
        using var canceled = new CancellationTokenSource();
        canceled.Cancel();

        Assert.False(ProviderErrors.ShouldTranslate(new OperationCanceledException(canceled.Token), canceled.Token));
        Assert.False(ProviderErrors.ShouldTranslate(new ProviderRateLimitedException("below", TimeSpan.FromSeconds(1), null), CancellationToken.None));
        Assert.False(ProviderErrors.ShouldTranslate(new ProviderOutputException("below"), CancellationToken.None));
        Assert.True(ProviderErrors.ShouldTranslate(new InvalidOperationException("x"), canceled.Token));
    }

    public static TheoryData<Exception> ReplyReadingErrors() =>
    [
        new ArgumentOutOfRangeException("index", "Index was out of range. Must be non-negative and less than the size of the collection."),
        new JsonException("'}' is invalid after a value."),
        new KeyNotFoundException("The given key 'choices' was not present in the dictionary."),
        new InvalidCastException(),
        Thrown(() => _ = Array.Empty<int>()[0]), // IndexOutOfRangeException, as the runtime throws it
        Thrown(() => _ = ((string)null!).Length), // NullReferenceException, as the runtime throws it
    ];

    [Theory]
    [MemberData(nameof(ReplyReadingErrors))]
    public void AnSdkThatCannotReadTheReply_IsAProviderResponseException_NamingTheCall(Exception sdk)
    {
        var usage = new ProviderUsage(5, 0, 0, 0.01m);

        var error = Assert.IsType<ProviderResponseException>(ProviderErrors.Translate(sdk, Operation, "gpt-4o-mini", usage, Now));

        Assert.Equal(Operation, error.Operation);
        Assert.Equal("gpt-4o-mini", error.Model);
        Assert.Equal(usage, error.Usage);
        Assert.False(error.IsTransient);
        Assert.Null(error.RawReply);
        Assert.Same(sdk, error.InnerException);
        Assert.StartsWith($"ChatClientLlm.CombineAsync: the client could not read the reply of model gpt-4o-mini ({sdk.GetType().Name}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnArgumentCheckOfTheRequest_IsNotAReplyError()
    {
        var sdk = new ArgumentOutOfRangeException("temperature", "The temperature must be between 0 and 2.");

        var error = Translate(sdk);

        Assert.IsNotAssignableFrom<ProviderOutputException>(error);
        Assert.False(error.IsTransient);
        Assert.StartsWith("ChatClientLlm.CombineAsync failed: ArgumentOutOfRangeException: The temperature must be between 0 and 2.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownError_NamesTheCall_AndIsNotTransient()
    {
        var sdk = new NotSupportedException("The model does not support JSON mode.\nSee the documentation.");

        var error = Translate(sdk);

        Assert.False(error.IsTransient);
        Assert.Null(error.StatusCode);
        Assert.Equal("ChatClientLlm.CombineAsync failed: NotSupportedException: The model does not support JSON mode. See the documentation.", error.Message);
    }

    [Fact]
    public void ALongSdkMessage_IsCutToOneShortLine()
    {
        var sdk = new InvalidOperationException(string.Join("\r\n", Enumerable.Repeat("header: value", 200)));

        var error = Translate(sdk);

        Assert.DoesNotContain('\n', error.Message);
        Assert.True(error.Message.Length < 400, error.Message);
        Assert.Contains('…', error.Message);
    }

    [Fact]
    public void UsageReportedBeforeTheFailure_IsCarried()
    {
        var usage = new ProviderUsage(InputTokens: 100, OutputTokens: 20, Cost: 0.5m);

        var error = ProviderErrors.Translate(new IOException("broken"), Operation, null, usage, Now);

        Assert.Equal(usage, error.Usage);
    }

    private static Exception Thrown(Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            return ex;
        }

        throw new InvalidOperationException("The action did not throw.");
    }

    private static ProviderException Translate(Exception sdk, string? model = null) =>
        ProviderErrors.Translate(sdk, Operation, model, ProviderUsage.None, Now);
}
