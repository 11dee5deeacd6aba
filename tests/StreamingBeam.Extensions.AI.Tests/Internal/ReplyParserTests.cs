namespace StreamingBeam.Extensions.AI.Tests.Internal;

public class ReplyParserTests
{
    [Theory]
    [InlineData("{\"score\": 7.5, \"analysis\": \"Good\"}", 10, 0.75, "Good")]
    [InlineData("{\"analysis\": \"Nice\", \"score\": 8}", 10, 0.8, "Nice")]
    [InlineData("```json\n{\"score\": 8, \"analysis\": \"Fenced\"}\n```", 10, 0.8, "Fenced")]
    [InlineData("```\n{\"score\": 3}\n```", 10, 0.3, null)]
    [InlineData("Here is my verdict:\n{\"analysis\": \"In prose\", \"score\": 6}\nHope that helps.", 10, 0.6, "In prose")]
    [InlineData("My thoughts follow.\n```json\n{\"score\": 2, \"reasoning\": \"Fence in prose\"}\n```\nDone.", 10, 0.2, "Fence in prose")]
    [InlineData("Looking at {the image} closely: {\"score\": 5, \"rationale\": \"Braces before\"}", 10, 0.5, "Braces before")]
    [InlineData("{\"score\": 7,}", 10, 0.7, null)]
    [InlineData("{\"Score\": 4, \"Explanation\": \"Cased\"}", 10, 0.4, "Cased")]
    [InlineData("{\"rating\": 4}", 10, 0.4, null)]
    [InlineData("{\"alignment_score\": 9}", 10, 0.9, null)]
    [InlineData("{\"score\": \"8/10\"}", 10, 0.8, null)]
    [InlineData("{\"score\": \"85%\"}", 10, 0.85, null)]
    [InlineData("{\"score\": \"6.5\"}", 10, 0.65, null)]
    [InlineData("{\"score\": 0}", 10, 0.0, null)]
    [InlineData("{\"score\": 10}", 10, 1.0, null)]
    [InlineData("{\"score\": 85}", 100, 0.85, null)]
    [InlineData("{\"score\": 0.6}", 1, 0.6, null)]
    [InlineData("<think>Maybe {\"score\": 3}? That seems harsh.</think>\n{\"score\": 8, \"analysis\": \"After thinking\"}", 10, 0.8, "After thinking")]
    [InlineData("{\"score\": 3}", 5, 0.6, null)]
    public void TryReadScore_JsonReplies_NormaliseToUnitRange(string reply, double scale, double expected, string? expectedAnalysis)
    {
        var ok = ReplyParser.TryReadScore(reply, scale, out var score, out var analysis, out var failure);

        Assert.True(ok, failure);
        Assert.Equal(expected, score, precision: 10);
        Assert.Equal(expectedAnalysis, analysis);
    }

    [Theory]
    [InlineData("Score: 8/10\nThe fox is there.", 10, 0.8)]
    [InlineData("**Score:** 7 out of 10", 10, 0.7)]
    [InlineData("Aesthetic score: 6", 10, 0.6)]
    [InlineData("The score is 9.", 10, 0.9)]
    [InlineData("Score: 85/100", 10, 0.85)]
    [InlineData("Score = 40%", 10, 0.4)]
    [InlineData("7", 10, 0.7)]
    [InlineData("  7.5  ", 10, 0.75)]
    [InlineData("8/10", 100, 0.8)]
    [InlineData("72", 100, 0.72)]
    [InlineData("0.9", 1, 0.9)]
    [InlineData("I would rate it 9 out of 10: the fox is sharp.", 10, 0.9)]
    [InlineData("Overall 3/5, the lighting is flat.", 10, 0.6)]
    public void TryReadScore_PlainTextReplies_NormaliseToUnitRange(string reply, double scale, double expected)
    {
        var ok = ReplyParser.TryReadScore(reply, scale, out var score, out var analysis, out var failure);

        Assert.True(ok, failure);
        Assert.Equal(expected, score, precision: 10);
        Assert.Equal(reply.Trim(), analysis);
    }

    [Theory]
    [InlineData("The image is lovely.", 10, "no score was found in the reply")]
    [InlineData("", 10, "no score was found in the reply")]
    [InlineData("It shows 3 foxes in the snow.", 10, "no score was found in the reply")]
    [InlineData("{\"analysis\": \"nice\"}", 10, "the JSON reply has no \"score\" field")]
    [InlineData("{\"score\": \"high\"}", 10, "the JSON reply's \"score\" field is not a number (it is a string that does not hold a number)")]
    [InlineData("{\"score\": null}", 10, "the JSON reply's \"score\" field is not a number (it is null)")]
    [InlineData("{\"score\": 85}", 10, "the score 85 is outside 0 to 10 (ScoreScale)")]
    [InlineData("{\"score\": 7}", 1, "the score 7 is outside 0 to 1 (ScoreScale)")]
    [InlineData("{\"score\": -1}", 10, "the score -1 is outside 0 to 10 (ScoreScale)")]
    [InlineData("Score: 12/10", 10, "the score 12 is outside 0 to 10 (the scale stated in the reply)")]
    [InlineData("Score: -2", 10, "the score -2 is outside 0 to 10 (ScoreScale)")]
    [InlineData("Score: 3/0", 10, "the score 3 out of 0 is not a usable number")]
    public void TryReadScore_UnusableReplies_FailWithReason(string reply, double scale, string expectedFailureStart)
    {
        var ok = ReplyParser.TryReadScore(reply, scale, out var score, out _, out var failure);

        Assert.False(ok);
        Assert.Equal(0, score);
        Assert.StartsWith(expectedFailureStart, failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"prompt\": \"a red fox\"}", "a red fox")]
    [InlineData("{\"Prompt\": \"  a red fox  \"}", "a red fox")]
    [InlineData("```json\n{\"prompt\": \"a red fox\"}\n```", "a red fox")]
    [InlineData("Sure! Here it is: {\"prompt\": \"a red fox\"} Enjoy.", "a red fox")]
    [InlineData("{\"what\": \"a red fox\"}", "a red fox")]
    [InlineData("{\"prompt\": \"a \\\"quoted\\\" fox {with braces}\"}", "a \"quoted\" fox {with braces}")]
    [InlineData("a red fox in the snow", "a red fox in the snow")]
    [InlineData("  \"a red fox\"  ", "a red fox")]
    [InlineData("```\na red fox\n```", "a red fox")]
    [InlineData("a fox {glowing} at dusk", "a fox {glowing} at dusk")]
    [InlineData("<think>\nWhat would look good? Maybe a fox.\n</think>\n\na red fox in the snow", "a red fox in the snow")]
    [InlineData("<THINKING>hmm</THINKING>```json\n{\"prompt\": \"a red fox\"}\n```", "a red fox")]
    public void ReadText_TolerantShapes_ReturnTheText(string reply, string expected)
    {
        var text = ReplyParser.ReadText(reply, "prompt", out var failure);

        Assert.Equal(expected, text);
        Assert.Equal(string.Empty, failure);
    }

    [Theory]
    [InlineData("{\"prompt\": \"\"}", "the JSON reply has no non-empty \"prompt\" string")]
    [InlineData("{\"prompt\": 5}", "the JSON reply has no non-empty \"prompt\" string")]
    [InlineData("{\"a\": \"x\", \"b\": \"y\"}", "the JSON reply has no non-empty \"prompt\" string")]
    [InlineData("   ", "the reply has no text")]
    [InlineData("", "the reply has no text")]
    public void ReadText_UnusableReplies_FailWithReason(string reply, string expectedFailure)
    {
        var text = ReplyParser.ReadText(reply, "prompt", out var failure);

        Assert.Null(text);
        Assert.Equal(expectedFailure, failure);
    }
}
