using Microsoft.Extensions.AI;
using StreamingBeam.Extensions.AI.Tests.Fakes;

namespace StreamingBeam.Extensions.AI.Tests;

/// <summary>Issue #15 item 13: a model's reply never reaches an exception's message (which the engine logs at Warning
/// when a candidate fails); it stays on <see cref="ProviderOutputException.RawReply"/>.</summary>
public class RawReplyTests
{
    // The reply of the report: the model repeated the user's prompt in a field the adapter does not read.
    private const string Echo = "{\"prompt\": \"\", \"note\": \"a lighthouse at dusk\"}";

    public static TheoryData<string> ScoreReplies() =>
    [
        "{\"score\": \"a lighthouse at dusk\"}",
        "{\"score\": {\"value\": \"a lighthouse at dusk\"}}",
        "{\"score\": [\"a lighthouse at dusk\"]}",
        "{\"score\": 85, \"analysis\": \"a lighthouse at dusk\"}",
        "I see a lighthouse at dusk.",
    ];

    [Theory]
    [InlineData(PromptDimension.What)]
    [InlineData(PromptDimension.How)]
    public async Task ChatClientLlm_UnusableReply_KeepsItOnRawReplyOnly(PromptDimension dimension)
    {
        var llm = new ChatClientLlm(FakeChatClient.Replying(Echo));

        var error = await Assert.ThrowsAsync<ProviderResponseException>(() => llm.ExpandAsync(
            new ExpandRequest { UserPrompt = "a lighthouse at dusk", Dimension = dimension, VariantIndex = 0, Temperature = 0.7 }));

        AssertKeptOut(error, Echo);
    }

    [Theory]
    [MemberData(nameof(ScoreReplies))]
    public async Task ChatClientVisionScorer_UnusableReply_KeepsItOnRawReplyOnly(string reply)
    {
        var scorer = new ChatClientVisionScorer(FakeChatClient.Replying(reply));
        var image = new GeneratedImage { Data = new byte[] { 1, 2, 3 } };

        var error = await Assert.ThrowsAsync<ProviderResponseException>(() => scorer.ScoreAlignmentAsync(image, "a lighthouse at dusk"));

        AssertKeptOut(error, reply);
    }

    [Fact]
    public async Task ImageGeneratorAdapter_TextInsteadOfAnImage_KeepsTheTextOnRawReplyOnly()
    {
        var generator = new FakeImageGenerator { Response = new([new TextContent("I cannot draw a lighthouse at dusk.")]) };

        var error = await Assert.ThrowsAsync<ProviderResponseException>(() => new ImageGeneratorAdapter(generator).GenerateAsync("a lighthouse at dusk"));

        AssertKeptOut(error, "I cannot draw a lighthouse at dusk.");
    }

    [Fact]
    public void ProviderOutputException_RawReply_IsNeverPartOfTheMessage()
    {
        var error = new ProviderOutputException("The scorer returned an unreadable score.", Echo, innerException: null);

        AssertKeptOut(error, Echo);
    }

    private static void AssertKeptOut(ProviderOutputException error, string reply)
    {
        Assert.Equal(reply, error.RawReply);
        Assert.DoesNotContain("lighthouse", error.Message, StringComparison.OrdinalIgnoreCase);

        // What a logger writes for an exception: type, message, inner exceptions and stack.
        Assert.DoesNotContain("lighthouse", error.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>Issue #15 item 9, in the adapters: absurd token counts from a service never throw from the adapter.</summary>
public class AbsurdUsageTests
{
    [Fact]
    public void From_CountsWhoseCostOverflowsADecimal_SaturatesTheCost()
    {
        var details = new UsageDetails { InputTokenCount = long.MaxValue, OutputTokenCount = long.MaxValue };

        var usage = Usage.From(details, costPerInputToken: decimal.MaxValue / 2, costPerOutputToken: 1m);

        Assert.Equal(decimal.MaxValue, usage.Cost);
        Assert.Equal(long.MaxValue, usage.InputTokens);
    }
}
