using Microsoft.Extensions.AI;
using StreamingBeam.Extensions.AI.Tests.Fakes;

namespace StreamingBeam.Extensions.AI.Tests.Chat;

public class ChatClientLlmTests
{
    private static ExpandRequest Expand(PromptDimension dimension = PromptDimension.What, int variant = 2) =>
        new() { UserPrompt = "a fox in the snow", Dimension = dimension, VariantIndex = variant, Temperature = 0.9 };

    private static CritiqueRequest Critique(PromptDimension dimension) => new()
    {
        UserPrompt = "a fox in the snow",
        Dimension = dimension,
        What = "a red fox curled up in fresh snow",
        How = "soft watercolor, pale morning light",
        CombinedPrompt = "a red fox curled up in fresh snow, soft watercolor",
        Alignment = 0.625,
        AlignmentAnalysis = "The fox is there but the snow is grey.",
        Aesthetic = 0.8,
        AestheticAnalysis = null,
    };

    private static RefineRequest Refine(PromptDimension dimension) => new()
    {
        UserPrompt = "a fox in the snow",
        Dimension = dimension,
        What = "a red fox curled up in fresh snow",
        How = "soft watercolor, pale morning light",
        Critique = "Make the snow brighter.",
        VariantIndex = 1,
        Temperature = 0.5,
    };

    [Fact]
    public async Task ExpandAsync_Default_SendsSystemAndRenderedUserMessage()
    {
        var chat = FakeChatClient.Replying("{\"prompt\": \"a red fox\"}");
        var llm = new ChatClientLlm(chat);

        var response = await llm.ExpandAsync(Expand(PromptDimension.How, variant: 2));

        Assert.Equal("a red fox", response.Text);
        var call = chat.SingleCall;
        Assert.Equal(2, call.Messages.Count);
        Assert.Equal(ChatRole.System, call.Messages[0].Role);
        Assert.Equal(ChatClientLlmOptions.DefaultSystemPrompt, call.System.Text);
        var user = call.User.Text;
        Assert.Contains("a fox in the snow", user, StringComparison.Ordinal);
        Assert.Contains("Write the HOW half", user, StringComparison.Ordinal);
        Assert.Contains(ChatClientLlmOptions.DefaultHowDescription, user, StringComparison.Ordinal);
        Assert.Contains("variant 3 of several", user, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", user, StringComparison.Ordinal);
        Assert.False(call.Streaming);
    }

    [Fact]
    public async Task ExpandAsync_Default_RequestsJsonAndTheEngineTemperature()
    {
        var chat = FakeChatClient.Replying("{\"prompt\": \"x\"}");
        var llm = new ChatClientLlm(chat);

        await llm.ExpandAsync(Expand());

        var options = chat.SingleCall.Options;
        Assert.NotNull(options);
        Assert.IsType<ChatResponseFormatJson>(options.ResponseFormat);
        Assert.Equal(0.9f, options.Temperature);
        Assert.Null(options.Seed);
    }

    [Fact]
    public async Task ExpandAsync_SeedInChatOptions_AddsTheVariantIndexWithoutChangingTheTemplateOptions()
    {
        var template = new ChatOptions { Seed = 100, ModelId = "my-model", Temperature = 0.1f };
        var chat = FakeChatClient.Replying("{\"prompt\": \"x\"}");
        var llm = new ChatClientLlm(chat, new ChatClientLlmOptions { ChatOptions = template });

        await llm.ExpandAsync(Expand(variant: 4));

        var options = chat.SingleCall.Options!;
        Assert.Equal(104, options.Seed);
        Assert.Equal("my-model", options.ModelId);
        Assert.Equal(0.9f, options.Temperature);
        Assert.Equal(100, template.Seed);
        Assert.Equal(0.1f, template.Temperature);
        Assert.Null(template.ResponseFormat);
    }

    [Fact]
    public async Task CombineAsync_UsesTemplateTemperatureAndSeedAsTheyAre()
    {
        var chat = FakeChatClient.Replying("{\"prompt\": \"x\"}");
        var llm = new ChatClientLlm(chat, new ChatClientLlmOptions { ChatOptions = new ChatOptions { Seed = 7, Temperature = 0.2f } });

        await llm.CombineAsync(new CombineRequest { UserPrompt = "u", What = "the-what", How = "the-how" });

        var call = chat.SingleCall;
        Assert.Equal(7, call.Options!.Seed);
        Assert.Equal(0.2f, call.Options.Temperature);
        Assert.Contains("<what>\nthe-what\n</what>", call.User.Text, StringComparison.Ordinal);
        Assert.Contains("<how>\nthe-how\n</how>", call.User.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseJsonResponseFormat_False_LeavesTheResponseFormatUnset()
    {
        var chat = FakeChatClient.Replying("a red fox");
        var llm = new ChatClientLlm(chat, new ChatClientLlmOptions { UseJsonResponseFormat = false });

        var response = await llm.CombineAsync(new CombineRequest { UserPrompt = "u", What = "w", How = "h" });

        Assert.Equal("a red fox", response.Text);
        Assert.Null(chat.SingleCall.Options!.ResponseFormat);
    }

    [Fact]
    public async Task ResponseFormatInChatOptions_IsKept()
    {
        var schema = ChatResponseFormat.ForJsonSchema(System.Text.Json.JsonDocument.Parse("{\"type\":\"object\"}").RootElement, "p");
        var chat = FakeChatClient.Replying("{\"prompt\": \"x\"}");
        var llm = new ChatClientLlm(chat, new ChatClientLlmOptions { ChatOptions = new ChatOptions { ResponseFormat = schema } });

        await llm.CombineAsync(new CombineRequest { UserPrompt = "u", What = "w", How = "h" });

        Assert.Same(schema, chat.SingleCall.Options!.ResponseFormat);
    }

    [Theory]
    [InlineData(PromptDimension.What, "a red fox curled up in fresh snow")]
    [InlineData(PromptDimension.How, "soft watercolor, pale morning light")]
    public async Task CritiqueAsync_RendersScoresAnalysesAndTheDimension(PromptDimension dimension, string current)
    {
        var chat = FakeChatClient.Replying("{\"critique\": \"Brighten the snow.\"}");
        var llm = new ChatClientLlm(chat, new ChatClientLlmOptions
        {
            CritiqueTemplate = "{{Dimension}}|{{Current}}|{{Alignment}}|{{AlignmentAnalysis}}|{{Aesthetic}}|{{AestheticAnalysis}}|{{CombinedPrompt}}",
        });

        var response = await llm.CritiqueAsync(Critique(dimension));

        Assert.Equal("Brighten the snow.", response.Text);
        var expectedName = dimension == PromptDimension.What ? "WHAT" : "HOW";
        Assert.Equal(
            $"{expectedName}|{current}|0.63|The fox is there but the snow is grey.|0.80|(none)|a red fox curled up in fresh snow, soft watercolor",
            chat.SingleCall.User.Text);
        Assert.Null(chat.SingleCall.Options!.Temperature);
    }

    [Fact]
    public async Task RefineAsync_RendersCritiqueCurrentAndVariant()
    {
        var chat = FakeChatClient.Replying("```json\n{\"prompt\": \"bright watercolor\"}\n```");
        var llm = new ChatClientLlm(chat, new ChatClientLlmOptions
        {
            RefineTemplate = "{{Dimension}}:{{Current}}:{{Critique}}:{{VariantIndex}}:{{VariantNumber}}:{{UserPrompt}}",
        });

        var response = await llm.RefineAsync(Refine(PromptDimension.How));

        Assert.Equal("bright watercolor", response.Text);
        Assert.Equal("HOW:soft watercolor, pale morning light:Make the snow brighter.:1:2:a fox in the snow", chat.SingleCall.User.Text);
        Assert.Equal(0.5f, chat.SingleCall.Options!.Temperature);
    }

    [Fact]
    public async Task DefaultTemplates_EveryOperation_RenderEveryPlaceholder()
    {
        var chat = FakeChatClient.Replying("{\"prompt\": \"x\", \"critique\": \"y\"}");
        var llm = new ChatClientLlm(chat);

        await llm.ExpandAsync(Expand(PromptDimension.What));
        await llm.CombineAsync(new CombineRequest { UserPrompt = "u", What = "w", How = "h" });
        await llm.CritiqueAsync(Critique(PromptDimension.How));
        await llm.RefineAsync(Refine(PromptDimension.What));

        Assert.Equal(4, chat.Calls.Count);
        Assert.All(chat.Calls, call =>
        {
            Assert.DoesNotContain("{{", call.User.Text, StringComparison.Ordinal);
            Assert.Contains("JSON", call.User.Text, StringComparison.Ordinal);
        });
        Assert.Contains(ChatClientLlmOptions.DefaultWhatDescription, chat.Calls[0].User.Text, StringComparison.Ordinal);
        Assert.Contains(ChatClientLlmOptions.DefaultHowDescription, chat.Calls[2].User.Text, StringComparison.Ordinal);
        Assert.Contains("<critique>\nMake the snow brighter.\n</critique>", chat.Calls[3].User.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SystemPrompt_Empty_SendsOnlyTheUserMessage()
    {
        var chat = FakeChatClient.Replying("{\"prompt\": \"x\"}");
        var llm = new ChatClientLlm(chat, new ChatClientLlmOptions { SystemPrompt = "" });

        await llm.ExpandAsync(Expand());

        Assert.Equal(ChatRole.User, Assert.Single(chat.SingleCall.Messages).Role);
    }

    [Fact]
    public async Task Usage_FromChatResponse_IsCarriedAndPriced()
    {
        var chat = FakeChatClient.Replying("{\"prompt\": \"x\"}", new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 50, TotalTokenCount = 1050 });
        var llm = new ChatClientLlm(chat, new ChatClientLlmOptions { CostPerInputToken = 0.001m, CostPerOutputToken = 0.01m });

        var response = await llm.ExpandAsync(Expand());

        Assert.Equal(new ProviderUsage(InputTokens: 1000, OutputTokens: 50, Images: 0, Cost: 1.5m), response.Usage);
    }

    [Fact]
    public async Task Usage_OnlyInResponseMessageContents_IsRead()
    {
        var message = new ChatMessage(ChatRole.Assistant, [new TextContent("{\"prompt\": \"x\"}"), new UsageContent(new UsageDetails { InputTokenCount = 12, OutputTokenCount = 3 })]);
        var chat = new FakeChatClient { Response = new ChatResponse(message) };
        var llm = new ChatClientLlm(chat);

        var response = await llm.ExpandAsync(Expand());

        Assert.Equal(new ProviderUsage(12, 3), response.Usage);
    }

    [Fact]
    public async Task Usage_Missing_IsZero()
    {
        var llm = new ChatClientLlm(FakeChatClient.Replying("{\"prompt\": \"x\"}"), new ChatClientLlmOptions { CostPerInputToken = 1m });

        var response = await llm.ExpandAsync(Expand());

        Assert.Equal(ProviderUsage.None, response.Usage);
    }

    [Fact]
    public async Task UseStreaming_JoinsTextAndKeepsUsageFromAFinalUpdateWithNoText()
    {
        var chat = FakeChatClient.Streaming(
            new ChatResponseUpdate(ChatRole.Assistant, "{\"prompt\": \"a red"),
            new ChatResponseUpdate(ChatRole.Assistant, " fox\"}"),
            new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = 200, OutputTokenCount = 10 })]));
        var llm = new ChatClientLlm(chat, new ChatClientLlmOptions { UseStreaming = true, CostPerInputToken = 0.01m, CostPerOutputToken = 0.1m });

        var response = await llm.ExpandAsync(Expand());

        Assert.True(chat.SingleCall.Streaming);
        Assert.Equal("a red fox", response.Text);
        Assert.Equal(new ProviderUsage(200, 10, 0, 3m), response.Usage);
    }

    [Fact]
    public async Task UseStreaming_UsageSplitAcrossUpdates_IsAddedUp()
    {
        var chat = FakeChatClient.Streaming(
            new ChatResponseUpdate(ChatRole.Assistant, [new TextContent("{\"prompt\": \"x\"}"), new UsageContent(new UsageDetails { InputTokenCount = 5 })]),
            new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { OutputTokenCount = 7 })]));
        var llm = new ChatClientLlm(chat, new ChatClientLlmOptions { UseStreaming = true });

        var response = await llm.ExpandAsync(Expand());

        Assert.Equal(new ProviderUsage(5, 7), response.Usage);
    }

    [Fact]
    public async Task UnusableReply_ThrowsProviderResponseExceptionNamingTheOperationAndKeepingTheReplyOnRawReply()
    {
        var llm = new ChatClientLlm(FakeChatClient.Replying("{\"a\": \"one\", \"b\": \"two\"}"));

        var exception = await Assert.ThrowsAsync<ProviderResponseException>(() => llm.ExpandAsync(Expand(PromptDimension.What, variant: 3)));

        Assert.Equal(
            "ChatClientLlm.ExpandAsync (WHAT, variant 3): could not read the prompt from the reply: the JSON reply has no non-empty \"prompt\" string. The reply (24 characters) is in RawReply, not quoted here.",
            exception.Message);
        Assert.Equal("{\"a\": \"one\", \"b\": \"two\"}", exception.RawReply);
    }

    [Fact]
    public async Task EmptyReply_ThrowsProviderResponseException()
    {
        var llm = new ChatClientLlm(FakeChatClient.Replying(""));

        var exception = await Assert.ThrowsAsync<ProviderResponseException>(() => llm.CritiqueAsync(Critique(PromptDimension.How)));

        Assert.Equal("ChatClientLlm.CritiqueAsync (HOW): could not read the critique from the reply: the reply has no text. The reply was empty.", exception.Message);
    }

    [Fact]
    public async Task CancellationToken_IsPassedToTheChatClient()
    {
        using var cts = new CancellationTokenSource();
        var chat = FakeChatClient.Replying("{\"prompt\": \"x\"}");
        var llm = new ChatClientLlm(chat);

        await llm.CombineAsync(new CombineRequest { UserPrompt = "u", What = "w", How = "h" }, cts.Token);

        Assert.Equal(cts.Token, chat.SingleCall.Token);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cancellation_DuringTheCall_ThrowsOperationCanceledException(bool streaming)
    {
        using var cts = new CancellationTokenSource();
        var chat = FakeChatClient.Streaming(new ChatResponseUpdate(ChatRole.Assistant, "{\"prompt\":"), new ChatResponseUpdate(ChatRole.Assistant, "\"x\"}"));
        chat.Gate = new TaskCompletionSource();
        var llm = new ChatClientLlm(chat, new ChatClientLlmOptions { UseStreaming = streaming });

        var call = llm.RefineAsync(Refine(PromptDimension.What), cts.Token);
        await Task.WhenAny(chat.AtGate.Task, call);
        Assert.False(call.IsCompleted);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(cts.Token, chat.SingleCall.Token);
    }

    [Fact]
    public async Task Options_ChangedAfterConstruction_DoNotAffectTheAdapter()
    {
        var options = new ChatClientLlmOptions { CombineTemplate = "first {{What}} {{How}}" };
        var chat = FakeChatClient.Replying("{\"prompt\": \"x\"}");
        var llm = new ChatClientLlm(chat, options);
        options.CombineTemplate = "second {{What}} {{How}}";

        await llm.CombineAsync(new CombineRequest { UserPrompt = "u", What = "w", How = "h" });

        Assert.Equal("first w h", chat.SingleCall.User.Text);
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryProblem()
    {
        var options = new ChatClientLlmOptions
        {
            ExpandTemplate = "Expand {{Dimension}}",
            CombineTemplate = "{{What}} {{How}} {{Critique}}",
            RefineTemplate = " ",
            HowDescription = "",
            CostPerOutputToken = -0.5m,
        };

        var exception = Assert.Throws<ArgumentException>(() => new ChatClientLlm(new FakeChatClient(), options));

        Assert.Equal(
            "ChatClientLlmOptions is not valid: " +
            "ChatClientLlmOptions.HowDescription must not be null, empty or white space. " +
            "ChatClientLlmOptions.ExpandTemplate must contain the placeholder {{UserPrompt}}. " +
            "ChatClientLlmOptions.CombineTemplate uses the unknown placeholder {{Critique}}; it may use {{UserPrompt}}, {{What}}, {{How}}. " +
            "ChatClientLlmOptions.RefineTemplate must not be null, empty or white space. " +
            "ChatClientLlmOptions.CostPerOutputToken must be zero or greater; it was -0.5.",
            exception.Message);
    }

    [Fact]
    public void DefaultOptions_AreValid()
    {
        var llm = new ChatClientLlm(new FakeChatClient(), new ChatClientLlmOptions());

        Assert.NotNull(llm);
    }

    [Fact]
    public async Task Arguments_Null_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new ChatClientLlm(null!));
        var llm = new ChatClientLlm(new FakeChatClient());
        await Assert.ThrowsAsync<ArgumentNullException>(() => llm.ExpandAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => llm.CombineAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => llm.CritiqueAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => llm.RefineAsync(null!));
    }
}
