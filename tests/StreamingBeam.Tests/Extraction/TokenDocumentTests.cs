using System.Text.Json.Nodes;
using StreamingBeam.Testing;
using static StreamingBeam.Tests.Extraction.ExtractionTestKit;

namespace StreamingBeam.Tests.Extraction;

public class TokenDocumentTests
{
    private static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();

    private static ExtractionUpdate Update(string name, string json, double weight = 1, ExtractionStatus status = ExtractionStatus.Succeeded) =>
        new() { ExtractorName = name, Tokens = Json(json), Weight = weight, Status = status };

    private static void AssertJson(string expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"Expected {expected} but got {actual.ToJsonString()}");

    [Fact]
    public void Merge_DisjointKeys_MergesObjectsAtEveryDepth()
    {
        var document = new TokenDocument();

        document.Merge(Update("colour", """{"colors":{"primary":"red"},"mood":"warm"}"""));
        document.Merge(Update("palette", """{"colors":{"secondary":"blue","shades":{"dark":"navy"}}}"""));

        AssertJson("""{"colors":{"primary":"red","secondary":"blue","shades":{"dark":"navy"}},"mood":"warm"}""", document.Root);
        Assert.Equal(2, document.MergedCount);
    }

    [Fact]
    public void Merge_Conflict_HigherWeightWinsWhateverTheOrder()
    {
        var lowFirst = new TokenDocument();
        lowFirst.Merge(Update("cheap", """{"style":"photo"}""", weight: 1));
        lowFirst.Merge(Update("expert", """{"style":"oil painting"}""", weight: 2));

        var highFirst = new TokenDocument();
        highFirst.Merge(Update("expert", """{"style":"oil painting"}""", weight: 2));
        highFirst.Merge(Update("cheap", """{"style":"photo"}""", weight: 1));

        AssertJson("""{"style":"oil painting"}""", lowFirst.Root);
        AssertJson("""{"style":"oil painting"}""", highFirst.Root);
        Assert.Equal("expert", highFirst.GetSource("/style"));
    }

    [Theory]
    [InlineData(false, "later")]
    [InlineData(true, "earlier")]
    public void Merge_EqualWeights_KeepsTheLaterValueUnlessConfigured(bool preferEarlier, string expected)
    {
        var document = new TokenDocument(new TokenMergeOptions { PreferEarlierOnEqualWeight = preferEarlier });

        document.Merge(Update("first", """{"v":"earlier"}"""));
        document.Merge(Update("second", """{"v":"later"}"""));

        Assert.Equal(expected, document.Root["v"]!.GetValue<string>());
    }

    [Fact]
    public void Merge_Arrays_AreReplacedNotConcatenated()
    {
        var document = new TokenDocument();

        document.Merge(Update("a", """{"tags":["x","y"]}"""));
        document.Merge(Update("b", """{"tags":["z"]}"""));

        AssertJson("""{"tags":["z"]}""", document.Root);
    }

    [Fact]
    public void Merge_ScalarAgainstObject_ReplacesItOnlyWhenItOutweighsEverythingInIt()
    {
        var document = new TokenDocument();
        document.Merge(Update("low", """{"light":{"key":"soft"}}""", weight: 1));
        document.Merge(Update("high", """{"light":{"fill":"hard"}}""", weight: 3));

        document.Merge(Update("middle", """{"light":"natural"}""", weight: 2));
        AssertJson("""{"light":{"key":"soft","fill":"hard"}}""", document.Root);

        document.Merge(Update("top", """{"light":"studio"}""", weight: 3));
        AssertJson("""{"light":"studio"}""", document.Root);
        Assert.Equal("top", document.GetSource("/light"));
    }

    [Fact]
    public void Merge_SameExtractorAgain_ReplacesItsOwnValuesEvenWithEarlierPreferred()
    {
        var document = new TokenDocument(new TokenMergeOptions { IncludeProvisional = true, PreferEarlierOnEqualWeight = true });

        Assert.True(document.Merge(Update("colour", """{"primary":"blue","guess":true}""", status: ExtractionStatus.Provisional)));
        Assert.True(document.Merge(Update("colour", """{"primary":"red"}""")));

        AssertJson("""{"primary":"red","guess":true}""", document.Root);
    }

    [Fact]
    public void Merge_ProvisionalFailedOrSkippedUpdates_AreIgnoredByDefault()
    {
        var document = new TokenDocument();

        Assert.False(document.Merge(Update("p", """{"a":1}""", status: ExtractionStatus.Provisional)));
        Assert.False(document.Merge(new ExtractionUpdate { ExtractorName = "f", Status = ExtractionStatus.Failed, Error = new InvalidOperationException() }));
        Assert.False(document.Merge(new ExtractionUpdate { ExtractorName = "s", Status = ExtractionStatus.Skipped }));

        Assert.Empty(document.Root);
        Assert.Equal(0, document.MergedCount);
    }

    [Fact]
    public void GetSources_NamesTheExtractorOfEveryValueByJsonPointer()
    {
        var document = new TokenDocument();
        document.Merge(Update("colour", """{"colors":{"primary":"red"},"a/b":1,"t~":null,"empty":{}}"""));
        document.Merge(Update("palette", """{"colors":{"secondary":"blue"}}"""));

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["/colors/primary"] = "colour",
                ["/colors/secondary"] = "palette",
                ["/a~1b"] = "colour",
                ["/t~0"] = "colour",
                ["/empty"] = "colour",
            },
            document.GetSources());
        Assert.Equal("palette", document.GetSource("/colors/secondary"));
        Assert.Equal("colour", document.GetSource("/a~1b"));
        Assert.Null(document.GetSource("/colors")); // supplied by two extractors
        Assert.Null(document.GetSource("/missing"));
        Assert.Throws<ArgumentException>(() => document.GetSource("colors"));
    }

    [Fact]
    public void Merge_CopiesValues_LeavingTheUpdatesTokensUntouched()
    {
        var tokens = Json("""{"colors":{"primary":"red"}}""");
        var document = new TokenDocument();

        document.Merge(tokens, "colour");
        document.Root["colors"]!["primary"] = "green";

        Assert.Equal("red", tokens["colors"]!["primary"]!.GetValue<string>());
        Assert.Same(tokens, tokens["colors"]!.Parent); // not re-parented into the document
        Assert.Throws<ArgumentOutOfRangeException>(() => document.Merge(tokens, "x", double.PositiveInfinity));
    }

    [Fact]
    public async Task Merge_EngineUpdatesInArrivalOrder_EqualsTheExpectedDocument()
    {
        var gate = new CallGate();
        var engine = new ExtractionEngine(
        [
            Reg(Returning(gate, "colour", """{"colors":{"primary":"red","accent":"gold"},"mood":"warm"}"""), o => o.Weight = 1),
            Reg(Returning(gate, "style", """{"style":"watercolour","colors":{"accent":"silver"}}"""), o => o.Weight = 2),
            Reg(Returning(gate, "mood", """{"mood":"calm","colors":{"primary":"crimson"}}"""), o => o.Weight = 1),
            Reg(Returning(gate, "broken", "{}")),
        ]);
        var document = new TokenDocument();

        await using var updates = engine.ExtractStreamingAsync(Input).GetAsyncEnumerator();
        var arrival = new List<string>();
        foreach (var name in new[] { "style", "broken", "mood", "colour" })
        {
            var next = updates.MoveNextAsync();
            if (name == "broken")
            {
                gate.Fail(name, new InvalidOperationException("boom"));
            }
            else
            {
                gate.Release(name);
            }

            Assert.True(await next.AsTask().WaitAsync(Guard));
            arrival.Add(updates.Current.ExtractorName);
            document.Merge(updates.Current);
        }

        Assert.Equal(["style", "broken", "mood", "colour"], arrival);
        // accent: style (weight 2) beats colour; primary and mood: equal weights, so colour (last to arrive) wins.
        AssertJson("""{"style":"watercolour","colors":{"accent":"silver","primary":"red"},"mood":"warm"}""", document.Root);
        Assert.Equal("style", document.GetSource("/colors/accent"));
        Assert.Equal("colour", document.GetSource("/colors/primary"));
        Assert.Equal(3, document.MergedCount);
    }

    [Fact]
    public async Task CreateAsync_ReadsTheWholeStream()
    {
        var engine = new ExtractionEngine(
        [
            Reg(new SyncExtractor("a", Json("""{"k":"a"}""")), o => o.Weight = 5),
            Reg(new SyncExtractor("b", Json("""{"k":"b","other":1}"""))),
        ]);

        var document = await TokenDocument.CreateAsync(engine.ExtractStreamingAsync(Input));

        AssertJson("""{"k":"a","other":1}""", document.Root);
        Assert.Equal(document.Root.ToJsonString(), TokenDocument.Create([Update("a", """{"k":"a"}""", 5), Update("b", """{"k":"b","other":1}""")]).Root.ToJsonString());
    }

    private static GatedExtractor Returning(CallGate gate, string name, string json) =>
        new(name, gate) { Result = (_, _) => ValueTask.FromResult(Json(json)) };
}
