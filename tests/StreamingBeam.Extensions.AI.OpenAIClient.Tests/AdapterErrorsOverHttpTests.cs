using System.ClientModel;
using Microsoft.Extensions.AI;
using StreamingBeam.Extensions.AI.OpenAIClient.Tests.Fakes;

namespace StreamingBeam.Extensions.AI.OpenAIClient.Tests;

/// <summary>Issue #16 items 3 and 5, end to end: the official OpenAI client over real HTTP against a loopback server,
/// through Microsoft.Extensions.AI, into the adapters. What the SDK throws reaches the engine as a
/// <see cref="ProviderException"/> that names the call and says whether trying again can help.</summary>
public sealed class AdapterErrorsOverHttpTests : IAsyncLifetime
{
    private static readonly CombineRequest Combine = new() { UserPrompt = "a fox", What = "a red fox", How = "watercolor" };

    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Image404_IsAProviderException_NotTransient_NamingOperationModelAndStatus()
    {
        _server.Reply = _ => FakeReply.Error(404, "The model `dall-e-9` does not exist or you do not have access to it.", "model_not_found");
        var images = new ImageGeneratorAdapter(OpenAIClients.For(_server).GetImageClient("dall-e-9").AsIImageGenerator());

        var error = await Assert.ThrowsAsync<ProviderException>(() => images.GenerateAsync("a fox"));

        Assert.Equal(404, error.StatusCode);
        Assert.False(error.IsTransient);
        Assert.False(ProviderFailures.IsTransient(error));
        Assert.Equal("ImageGeneratorAdapter.GenerateAsync", error.Operation);
        Assert.Equal("dall-e-9", error.Model);
        var inner = Assert.IsType<ClientResultException>(error.InnerException);
        Assert.Equal(404, inner.Status);
        Assert.StartsWith("ImageGeneratorAdapter.GenerateAsync on model dall-e-9 failed: HTTP 404 Not Found. ClientResultException: HTTP 404", error.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Theory]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(408, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(422, false)]
    public async Task ChatStatus_IsKept_AndDecidesWhetherItIsTransient(int status, bool transient)
    {
        _server.Reply = _ => FakeReply.Error(status, "something went wrong", "error");

        var error = await Assert.ThrowsAsync<ProviderException>(() => Llm().CombineAsync(Combine));

        Assert.Equal(status, error.StatusCode);
        Assert.Equal(transient, error.IsTransient);
        Assert.Equal("ChatClientLlm.CombineAsync", error.Operation);
        Assert.Equal("gpt-test", error.Model);
        Assert.IsType<ClientResultException>(error.InnerException);
    }

    public static TheoryData<string, Dictionary<string, string>, string, double?> RateLimitForms() => new()
    {
        { "retry-after-ms", new() { ["retry-after-ms"] = "1500" }, "Rate limit reached.", 1.5 },
        { "Retry-After seconds", new() { ["Retry-After"] = "20" }, "Rate limit reached.", 20 },
        {
            "Retry-After date",
            new() { ["Retry-After"] = "Wed, 02 Dec 2026 15:00:30 GMT", ["Date"] = "Wed, 02 Dec 2026 15:00:00 GMT" },
            "Rate limit reached.",
            30
        },
        {
            "x-ratelimit-reset-requests, requests used up",
            new()
            {
                ["x-ratelimit-reset-requests"] = "1m30s", ["x-ratelimit-remaining-requests"] = "0",
                ["x-ratelimit-reset-tokens"] = "6m0s", ["x-ratelimit-remaining-tokens"] = "149000",
            },
            "Rate limit reached.",
            90
        },
        { "x-ratelimit-reset-tokens", new() { ["x-ratelimit-reset-tokens"] = "0.5s" }, "Rate limit reached.", 0.5 },
        { "message only", new(), "Rate limit reached for gpt-4o-mini on tokens per min. Please try again in 20s. Visit the docs.", 20 },
        { "nothing", new(), "Rate limit reached.", null },
    };

    [Theory]
    [MemberData(nameof(RateLimitForms))]
    public async Task Http429_IsRateLimited_WithTheWaitTheServiceAskedFor(string form, Dictionary<string, string> headers, string message, double? seconds)
    {
        _server.Reply = _ => FakeReply.Error(429, message, "rate_limit_exceeded", headers);

        var error = await Assert.ThrowsAsync<ProviderRateLimitedException>(() => Llm().CombineAsync(Combine));

        Assert.True(seconds is null ? error.RetryAfter is null : error.RetryAfter == TimeSpan.FromSeconds(seconds.Value), $"{form}: {error.RetryAfter}");
        Assert.Equal(429, error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.Equal("ChatClientLlm.CombineAsync", error.Operation);
        Assert.Equal("gpt-test", error.Model);
        Assert.IsType<ClientResultException>(error.InnerException);
        Assert.StartsWith("ChatClientLlm.CombineAsync on model gpt-test was rate limited (HTTP 429 Too Many Requests); ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http429_WhenStreaming_IsRateLimitedToo()
    {
        _server.Reply = _ => FakeReply.Error(429, "Please try again in 2s.", "rate_limit_exceeded");
        var llm = Llm(new ChatClientLlmOptions { UseStreaming = true });

        var error = await Assert.ThrowsAsync<ProviderRateLimitedException>(() => llm.CombineAsync(Combine));

        Assert.Equal(TimeSpan.FromSeconds(2), error.RetryAfter);
    }

    [Fact]
    public async Task Http429_InsufficientQuota_IsNotARateLimit_AndNotTransient()
    {
        _server.Reply = _ => FakeReply.Error(429, "You exceeded your current quota, please check your plan and billing details.", "insufficient_quota");

        var error = await Assert.ThrowsAsync<ProviderException>(() => Llm().CombineAsync(Combine));

        Assert.IsNotType<ProviderRateLimitedException>(error);
        Assert.False(error.IsTransient);
        Assert.Equal(429, error.StatusCode);
    }

    [Fact]
    public async Task ContentPolicyRefusal_IsNotTransient()
    {
        _server.Reply = _ => FakeReply.Error(400, "Your request was rejected as a result of our safety system.", "content_policy_violation");
        var images = new ImageGeneratorAdapter(OpenAIClients.For(_server).GetImageClient("dall-e-3").AsIImageGenerator());

        var error = await Assert.ThrowsAsync<ProviderException>(() => images.GenerateAsync("a fox"));

        Assert.False(error.IsTransient);
        Assert.Contains("refused it under its content policy (HTTP 400 Bad Request)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmptyChoices_IsAProviderResponseException_NamingTheCall()
    {
        _server.Reply = _ => FakeReply.Json(
            """{"id": "x", "object": "chat.completion", "created": 1700000000, "model": "gpt-test", "choices": [], "usage": {"prompt_tokens": 5, "completion_tokens": 0, "total_tokens": 5}}""");

        var error = await Assert.ThrowsAsync<ProviderResponseException>(() => Llm().CombineAsync(Combine));

        Assert.Equal("ChatClientLlm.CombineAsync", error.Operation);
        Assert.Equal("gpt-test", error.Model);
        Assert.False(error.IsTransient);
        Assert.IsType<ArgumentOutOfRangeException>(error.InnerException);
        Assert.StartsWith("ChatClientLlm.CombineAsync: the client could not read the reply of model gpt-test (ArgumentOutOfRangeException: Index was out of range", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnparseableReply_CarriesItsUsage(bool streaming)
    {
        _server.Reply = request => streaming
            ? FakeReply.ChatStream("It's a lovely picture.", model: "gpt-test-2026-01-01", promptTokens: 3000, completionTokens: 120)
            : FakeReply.Chat("It's a lovely picture.", model: "gpt-test-2026-01-01", promptTokens: 3000, completionTokens: 120);
        var scorer = new ChatClientVisionScorer(
            OpenAIClients.For(_server).GetChatClient("gpt-test").AsIChatClient(),
            new ChatClientVisionScorerOptions { UseStreaming = streaming, CostPerInputToken = 2.50m / 1_000_000, CostPerOutputToken = 10m / 1_000_000 });

        var error = await Assert.ThrowsAsync<ProviderResponseException>(() => scorer.ScoreAestheticAsync(new GeneratedImage { Data = new byte[] { 1, 2, 3 }, MediaType = "image/png" }));

        Assert.Equal(new ProviderUsage(3000, 120, 0, 0.0087m), error.Usage);
        Assert.Equal("gpt-test-2026-01-01", error.Model);
        Assert.Equal("It's a lovely picture.", error.RawReply);
    }

    [Fact]
    public async Task ServiceNotReachable_IsTransient_WithoutAStatus()
    {
        var endpoint = _server.Endpoint;
        await _server.DisposeAsync();
        var client = new OpenAI.OpenAIClient(
            new ApiKeyCredential("test-key"),
            new OpenAI.OpenAIClientOptions { Endpoint = endpoint, RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });
        var llm = new ChatClientLlm(client.GetChatClient("gpt-test").AsIChatClient());

        var error = await Assert.ThrowsAsync<ProviderException>(() => llm.CombineAsync(Combine));

        Assert.Null(error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.True(ProviderFailures.IsTransient(error));
        Assert.StartsWith("ChatClientLlm.CombineAsync on model gpt-test failed: the service could not be reached", error.Message, StringComparison.Ordinal);
        _server = await FakeOpenAIServer.StartAsync(); // for DisposeAsync
    }

    private ChatClientLlm Llm(ChatClientLlmOptions? options = null) =>
        new(OpenAIClients.For(_server).GetChatClient("gpt-test").AsIChatClient(), options);
}
