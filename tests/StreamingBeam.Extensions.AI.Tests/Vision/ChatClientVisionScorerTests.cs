using Microsoft.Extensions.AI;
using StreamingBeam.Extensions.AI.Tests.Fakes;

namespace StreamingBeam.Extensions.AI.Tests.Vision;

public class ChatClientVisionScorerTests
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47];

    private static GeneratedImage BytesImage(string mediaType = "image/png") => new() { Data = Png, MediaType = mediaType };

    [Fact]
    public async Task ScoreAlignmentAsync_ImageBytes_SentAsDataContentWithMediaTypeAfterTheText()
    {
        var chat = FakeChatClient.Replying("{\"analysis\": \"The fox matches.\", \"score\": 7.5}");
        var scorer = new ChatClientVisionScorer(chat);

        var score = await scorer.ScoreAlignmentAsync(BytesImage("image/jpeg"), "a red fox in the snow");

        Assert.Equal(0.75, score.Score, precision: 10);
        Assert.Equal("The fox matches.", score.Analysis);
        var call = chat.SingleCall;
        Assert.Equal(ChatClientVisionScorerOptions.DefaultSystemPrompt, call.System.Text);
        var contents = call.User.Contents;
        Assert.Equal(2, contents.Count);
        var text = Assert.IsType<TextContent>(contents[0]).Text;
        Assert.Contains("<prompt>\na red fox in the snow\n</prompt>", text, StringComparison.Ordinal);
        Assert.Contains("to 10 (every element depicted exactly as asked)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", text, StringComparison.Ordinal);
        var data = Assert.IsType<DataContent>(contents[1]);
        Assert.Equal("image/jpeg", data.MediaType);
        Assert.Equal(Png, data.Data.ToArray());
        Assert.IsType<ChatResponseFormatJson>(call.Options!.ResponseFormat);
    }

    [Fact]
    public async Task ScoreAestheticAsync_ImageWithOnlyAUri_SentAsUriContent()
    {
        var chat = FakeChatClient.Replying("{\"score\": 9, \"analysis\": \"Lovely light.\"}");
        var scorer = new ChatClientVisionScorer(chat);
        var uri = new Uri("https://images.example/fox.png");

        var score = await scorer.ScoreAestheticAsync(new GeneratedImage { Uri = uri, MediaType = "image/png" });

        Assert.Equal(0.9, score.Score, precision: 10);
        var contents = chat.SingleCall.User.Contents;
        Assert.Contains("Rate the aesthetic quality", Assert.IsType<TextContent>(contents[0]).Text, StringComparison.Ordinal);
        var content = Assert.IsType<UriContent>(contents[1]);
        Assert.Equal(uri, content.Uri);
        Assert.Equal("image/png", content.MediaType);
    }

    [Theory]
    [InlineData(false, typeof(DataContent))]
    [InlineData(true, typeof(UriContent))]
    public async Task PreferImageUri_ImageWithBytesAndUri_ChoosesTheTransport(bool preferUri, Type expected)
    {
        var chat = FakeChatClient.Replying("{\"score\": 5}");
        var scorer = new ChatClientVisionScorer(chat, new ChatClientVisionScorerOptions { PreferImageUri = preferUri });

        await scorer.ScoreAestheticAsync(new GeneratedImage { Data = Png, Uri = new Uri("https://images.example/a.png") });

        Assert.IsType(expected, chat.SingleCall.User.Contents[1]);
    }

    [Fact]
    public async Task DataUri_IsSentAsDataContent()
    {
        var chat = FakeChatClient.Replying("{\"score\": 5}");
        var scorer = new ChatClientVisionScorer(chat);

        await scorer.ScoreAestheticAsync(new GeneratedImage { Uri = new Uri("data:image/png;base64,iVBORw=="), MediaType = "image/png" });

        var data = Assert.IsType<DataContent>(chat.SingleCall.User.Contents[1]);
        Assert.Equal("image/png", data.MediaType);
        Assert.False(data.Data.IsEmpty);
    }

    [Fact]
    public async Task ImageWithNoContent_ThrowsArgumentExceptionWithoutCalling()
    {
        var chat = new FakeChatClient();
        var scorer = new ChatClientVisionScorer(chat);

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => scorer.ScoreAestheticAsync(new GeneratedImage()));

        Assert.Equal("image", exception.ParamName);
        Assert.Empty(chat.Calls);
    }

    [Theory]
    [InlineData(100, "{\"score\": 85}", 0.85)]
    [InlineData(1, "{\"score\": 0.4}", 0.4)]
    [InlineData(100, "Score: 8/10", 0.8)]
    public async Task ScoreScale_NormalisesAndIsStatedInTheTemplate(double scale, string reply, double expected)
    {
        var chat = FakeChatClient.Replying(reply);
        var scorer = new ChatClientVisionScorer(chat, new ChatClientVisionScorerOptions { ScoreScale = scale });

        var score = await scorer.ScoreAlignmentAsync(BytesImage(), "p");

        Assert.Equal(expected, score.Score, precision: 10);
        var text = Assert.IsType<TextContent>(chat.SingleCall.User.Contents[0]).Text;
        Assert.Contains($"a number from 0 to {scale.ToString(System.Globalization.CultureInfo.InvariantCulture)}", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_IsCarriedAndPriced()
    {
        var chat = FakeChatClient.Replying("{\"score\": 5}", new UsageDetails { InputTokenCount = 800, OutputTokenCount = 40 });
        var scorer = new ChatClientVisionScorer(chat, new ChatClientVisionScorerOptions { CostPerInputToken = 0.001m, CostPerOutputToken = 0.01m });

        var score = await scorer.ScoreAestheticAsync(BytesImage());

        Assert.Equal(new ProviderUsage(800, 40, 0, 1.2m), score.Usage);
    }

    [Fact]
    public async Task UseStreaming_KeepsUsageFromAFinalUpdateWithNoText()
    {
        var chat = FakeChatClient.Streaming(
            new ChatResponseUpdate(ChatRole.Assistant, "```json\n{\"score\": 6,"),
            new ChatResponseUpdate(ChatRole.Assistant, " \"analysis\": \"Flat light.\"}\n```"),
            new ChatResponseUpdate { Contents = [new UsageContent(new UsageDetails { InputTokenCount = 300, OutputTokenCount = 20 })] });
        var scorer = new ChatClientVisionScorer(chat, new ChatClientVisionScorerOptions { UseStreaming = true });

        var score = await scorer.ScoreAestheticAsync(BytesImage());

        Assert.True(chat.SingleCall.Streaming);
        Assert.Equal(0.6, score.Score, precision: 10);
        Assert.Equal("Flat light.", score.Analysis);
        Assert.Equal(new ProviderUsage(300, 20), score.Usage);
    }

    [Fact]
    public async Task UnparseableReply_ThrowsProviderResponseExceptionKeepingTheReplyOutOfTheMessage()
    {
        var scorer = new ChatClientVisionScorer(FakeChatClient.Replying("What a lovely picture of a fox!"));

        var exception = await Assert.ThrowsAsync<ProviderResponseException>(() => scorer.ScoreAestheticAsync(BytesImage()));

        Assert.Equal(
            "ChatClientVisionScorer.ScoreAestheticAsync: could not read a score from the reply: no score was found in the reply " +
            "(expected JSON such as {\"score\": 7, \"analysis\": \"...\"}, or text such as \"Score: 7/10\"). The reply (31 characters) is in RawReply, not quoted here.",
            exception.Message);
        Assert.Equal("ChatClientVisionScorer.ScoreAestheticAsync", exception.Operation);
        Assert.Equal("What a lovely picture of a fox!", exception.RawReply);
    }

    [Fact]
    public async Task ScoreOutsideTheScale_ThrowsInsteadOfClamping()
    {
        var scorer = new ChatClientVisionScorer(FakeChatClient.Replying("{\"score\": 85, \"analysis\": \"Great\"}"));

        var exception = await Assert.ThrowsAsync<ProviderResponseException>(() => scorer.ScoreAlignmentAsync(BytesImage(), "p"));

        Assert.Equal(
            "ChatClientVisionScorer.ScoreAlignmentAsync: could not read a score from the reply: the score 85 is outside 0 to 10 (ScoreScale). " +
            "The reply (34 characters) is in RawReply, not quoted here.",
            exception.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cancellation_DuringTheCall_ThrowsOperationCanceledException(bool streaming)
    {
        using var cts = new CancellationTokenSource();
        var chat = FakeChatClient.Streaming(new ChatResponseUpdate(ChatRole.Assistant, "{\"score\":"), new ChatResponseUpdate(ChatRole.Assistant, " 5}"));
        chat.Response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "{\"score\": 5}"));
        chat.Gate = new TaskCompletionSource();
        var scorer = new ChatClientVisionScorer(chat, new ChatClientVisionScorerOptions { UseStreaming = streaming });

        var call = scorer.ScoreAlignmentAsync(BytesImage(), "p", cts.Token);
        await Task.WhenAny(chat.AtGate.Task, call);
        Assert.False(call.IsCompleted);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(cts.Token, chat.SingleCall.Token);
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryProblem()
    {
        var options = new ChatClientVisionScorerOptions
        {
            AlignmentTemplate = "Judge {{ScoreScale}} {{Image}}",
            ScoreScale = 0,
            CostPerInputToken = -1m,
        };

        var exception = Assert.Throws<ArgumentException>(() => new ChatClientVisionScorer(new FakeChatClient(), options));

        Assert.Equal(
            "ChatClientVisionScorerOptions is not valid: " +
            "ChatClientVisionScorerOptions.AlignmentTemplate uses the unknown placeholder {{Image}}; it may use {{Prompt}}, {{ScoreScale}}. " +
            "ChatClientVisionScorerOptions.AlignmentTemplate must contain the placeholder {{Prompt}}. " +
            "ChatClientVisionScorerOptions.ScoreScale must be a finite number greater than 0; it was 0. " +
            "ChatClientVisionScorerOptions.CostPerInputToken must be zero or greater; it was -1.",
            exception.Message);
    }

    [Fact]
    public async Task Arguments_Null_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new ChatClientVisionScorer(null!));
        var scorer = new ChatClientVisionScorer(new FakeChatClient());
        await Assert.ThrowsAsync<ArgumentNullException>(() => scorer.ScoreAestheticAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => scorer.ScoreAlignmentAsync(null!, "p"));
        await Assert.ThrowsAsync<ArgumentNullException>(() => scorer.ScoreAlignmentAsync(BytesImage(), null!));
    }
}
