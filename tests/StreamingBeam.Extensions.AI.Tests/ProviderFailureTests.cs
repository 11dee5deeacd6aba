using System.Net;
using Microsoft.Extensions.AI;
using StreamingBeam.Extensions.AI.Tests.Fakes;

namespace StreamingBeam.Extensions.AI.Tests;

/// <summary>Issue #16 items 3 and 5 in the adapters: whatever a client throws names the operation and the model, says
/// whether it is worth retrying, and keeps the client's exception; what a provider reported as spent is carried by the
/// exception of a call that failed.</summary>
public class ProviderFailureTests
{
    private static readonly CombineRequest Combine = new() { UserPrompt = "a fox", What = "a red fox", How = "watercolor" };

    private static readonly GeneratedImage Image = new() { Data = new byte[] { 1, 2, 3 }, MediaType = "image/png" };

    [Fact]
    public async Task ChatClientLlm_ClientError_IsAProviderException_NamingOperationModelAndStatus()
    {
        var sdk = new HttpRequestException("Response status code does not indicate success: 404 (Not Found).", null, HttpStatusCode.NotFound);
        var chat = new FakeChatClient { Failure = sdk };
        var llm = new ChatClientLlm(chat, new ChatClientLlmOptions { ChatOptions = new() { ModelId = "gpt-4o-mini" } });

        var error = await Assert.ThrowsAsync<ProviderException>(() => llm.CombineAsync(Combine));

        Assert.Equal("ChatClientLlm.CombineAsync", error.Operation);
        Assert.Equal("gpt-4o-mini", error.Model);
        Assert.Equal(404, error.StatusCode);
        Assert.False(error.IsTransient);
        Assert.Same(sdk, error.InnerException);
        Assert.StartsWith("ChatClientLlm.CombineAsync on model gpt-4o-mini failed: HTTP 404.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatClientLlm_ModelComesFromTheClientsMetadata_WhenTheOptionsHaveNone()
    {
        var chat = new FakeChatClient
        {
            Failure = new HttpRequestException("unavailable", null, HttpStatusCode.ServiceUnavailable),
            Metadata = new ChatClientMetadata("openai", defaultModelId: "llama3.1"),
        };
        var llm = new ChatClientLlm(chat);

        var error = await Assert.ThrowsAsync<ProviderException>(() => llm.ExpandAsync(
            new ExpandRequest { UserPrompt = "a fox", Dimension = PromptDimension.How, VariantIndex = 1, Temperature = 0.7 }));

        Assert.Equal("llama3.1", error.Model);
        Assert.Equal("ChatClientLlm.ExpandAsync (HOW, variant 1)", error.Operation);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task ChatClientLlm_StreamThatBreaksAfterItsUsage_CarriesThatUsage()
    {
        var chat = FakeChatClient.Streaming(
            new ChatResponseUpdate(ChatRole.Assistant, "{\"prompt\": \"a red"),
            new ChatResponseUpdate { Contents = [new UsageContent(new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 200 })] });
        chat.Failure = new IOException("The response ended prematurely.");
        chat.FailAfterUpdates = 2;
        var llm = new ChatClientLlm(chat, new ChatClientLlmOptions { UseStreaming = true, CostPerInputToken = 0.001m, CostPerOutputToken = 0.002m });

        var error = await Assert.ThrowsAsync<ProviderException>(() => llm.CombineAsync(Combine));

        Assert.True(error.IsTransient);
        Assert.Equal(new ProviderUsage(1000, 200, 0, 1.4m), error.Usage);
    }

    [Fact]
    public async Task ChatClientLlm_UnusableReply_CarriesItsUsageAndModel()
    {
        var chat = FakeChatClient.Replying("{\"critique\": \"\"}", new UsageDetails { InputTokenCount = 3000, OutputTokenCount = 120 });
        chat.Response.ModelId = "gpt-4o-mini-2024-07-18";
        var llm = new ChatClientLlm(chat, new ChatClientLlmOptions
        {
            ChatOptions = new() { ModelId = "gpt-4o-mini" },
            CostPerInputToken = 0.15m / 1_000_000,
            CostPerOutputToken = 0.60m / 1_000_000,
        });

        var error = await Assert.ThrowsAsync<ProviderResponseException>(() => llm.CritiqueAsync(new CritiqueRequest
        {
            UserPrompt = "a fox", Dimension = PromptDimension.What, What = "w", How = "h", CombinedPrompt = "c", Alignment = 0.5, Aesthetic = 0.5,
        }));

        Assert.Equal(new ProviderUsage(3000, 120, 0, 0.000522m), error.Usage);
        Assert.Equal("gpt-4o-mini-2024-07-18", error.Model);
        Assert.Equal("ChatClientLlm.CritiqueAsync (WHAT)", error.Operation);
    }

    [Fact]
    public async Task ChatClientLlm_ReplyWithheldByTheContentFilter_SaysSo()
    {
        var chat = FakeChatClient.Replying(string.Empty);
        chat.Response.FinishReason = ChatFinishReason.ContentFilter;
        var llm = new ChatClientLlm(chat);

        var error = await Assert.ThrowsAsync<ProviderResponseException>(() => llm.CombineAsync(Combine));

        Assert.StartsWith(
            "ChatClientLlm.CombineAsync: the service withheld the reply under its content policy (finish reason content_filter): could not read the prompt",
            error.Message,
            StringComparison.Ordinal);
        Assert.False(error.IsTransient);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ChatClientLlm_CallersCancellation_IsNotWrapped(bool streaming)
    {
        using var cts = new CancellationTokenSource();
        var chat = FakeChatClient.Streaming(new ChatResponseUpdate(ChatRole.Assistant, "{\"prompt\":"), new ChatResponseUpdate(ChatRole.Assistant, " \"x\"}"));
        chat.Gate = new TaskCompletionSource();
        var llm = new ChatClientLlm(chat, new ChatClientLlmOptions { UseStreaming = streaming });

        var call = llm.CombineAsync(Combine, cts.Token);
        await Task.WhenAny(chat.AtGate.Task, call);
        await cts.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.IsNotAssignableFrom<ProviderException>(error);
    }

    [Fact]
    public async Task ChatClientLlm_ProviderExceptionFromBelow_PassesThroughUnchanged()
    {
        var below = new ProviderRateLimitedException("simulated quota", TimeSpan.FromSeconds(3), null);
        var llm = new ChatClientLlm(new FakeChatClient { Failure = below });

        var error = await Assert.ThrowsAsync<ProviderRateLimitedException>(() => llm.CombineAsync(Combine));

        Assert.Same(below, error);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ChatClientVisionScorer_UnusableReply_CarriesItsUsage(bool streaming)
    {
        var usage = new UsageDetails { InputTokenCount = 800, OutputTokenCount = 40 };
        var chat = FakeChatClient.Replying("It's lovely.", usage);
        chat.Updates = [new ChatResponseUpdate(ChatRole.Assistant, "It's lovely."), new ChatResponseUpdate { Contents = [new UsageContent(usage)] }];
        var scorer = new ChatClientVisionScorer(chat, new ChatClientVisionScorerOptions { UseStreaming = streaming, CostPerInputToken = 0.01m, CostPerOutputToken = 0.1m });

        var error = await Assert.ThrowsAsync<ProviderResponseException>(() => scorer.ScoreAestheticAsync(Image));

        Assert.Equal(new ProviderUsage(800, 40, 0, 12m), error.Usage);
        Assert.Equal("ChatClientVisionScorer.ScoreAestheticAsync", error.Operation);
    }

    [Fact]
    public async Task ChatClientVisionScorer_ClientError_IsAProviderException_NamingTheCall()
    {
        var sdk = new HttpRequestException("Too Many Requests. Please retry after 7 seconds.", null, HttpStatusCode.TooManyRequests);
        var scorer = new ChatClientVisionScorer(
            new FakeChatClient { Failure = sdk }, new ChatClientVisionScorerOptions { ChatOptions = new() { ModelId = "gpt-4o" } });

        var error = await Assert.ThrowsAsync<ProviderRateLimitedException>(() => scorer.ScoreAlignmentAsync(Image, "a fox"));

        Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
        Assert.Equal("ChatClientVisionScorer.ScoreAlignmentAsync", error.Operation);
        Assert.Equal("gpt-4o", error.Model);
        Assert.Same(sdk, error.InnerException);
    }

    [Fact]
    public async Task ImageGeneratorAdapter_GeneratorError_IsAProviderException_NamingTheCall()
    {
        var sdk = new HttpRequestException("Not Found", null, HttpStatusCode.NotFound);
        var generator = new FakeImageGenerator { Failure = sdk, Metadata = new ImageGeneratorMetadata("openai", defaultModelId: "dall-e-3") };

        var error = await Assert.ThrowsAsync<ProviderException>(() => new ImageGeneratorAdapter(generator).GenerateAsync("a fox"));

        Assert.Equal("ImageGeneratorAdapter.GenerateAsync", error.Operation);
        Assert.Equal("dall-e-3", error.Model);
        Assert.Equal(404, error.StatusCode);
        Assert.False(error.IsTransient);
        Assert.Same(sdk, error.InnerException);
    }

    [Fact]
    public async Task ImageGeneratorAdapter_ModelInTheOptions_WinsOverTheMetadata()
    {
        var generator = new FakeImageGenerator
        {
            Failure = new IOException("reset"),
            Metadata = new ImageGeneratorMetadata("openai", defaultModelId: "dall-e-3"),
        };
        var adapter = new ImageGeneratorAdapter(generator, new ImageGeneratorAdapterOptions { GenerationOptions = new() { ModelId = "gpt-image-1" } });

        var error = await Assert.ThrowsAsync<ProviderException>(() => adapter.GenerateAsync("a fox"));

        Assert.Equal("gpt-image-1", error.Model);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task ImageGeneratorAdapter_NoImage_CarriesTheTokensButNoImage()
    {
        var generator = new FakeImageGenerator
        {
            Response = new([new TextContent("I can't draw that.")]) { Usage = new UsageDetails { InputTokenCount = 50, OutputTokenCount = 10 } },
        };
        var adapter = new ImageGeneratorAdapter(generator, new ImageGeneratorAdapterOptions { CostPerImage = 0.04m, CostPerInputToken = 0.001m, CostPerOutputToken = 0.002m });

        var error = await Assert.ThrowsAsync<ProviderResponseException>(() => adapter.GenerateAsync("a fox"));

        Assert.Equal(new ProviderUsage(50, 10, 0, 0.07m), error.Usage);
    }

    [Fact]
    public async Task ImageGeneratorAdapter_CallersCancellation_IsNotWrapped()
    {
        using var cts = new CancellationTokenSource();
        var generator = new FakeImageGenerator { Gate = new TaskCompletionSource() };

        var call = new ImageGeneratorAdapter(generator).GenerateAsync("a fox", cts.Token);
        await cts.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.IsNotAssignableFrom<ProviderException>(error);
    }
}
