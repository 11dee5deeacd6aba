using System.Text.Json.Nodes;

namespace StreamingBeam.Testing.Tests.Simulation;

public class SimulatedExtractorTests
{
    private static SimulatedExtractor Extractor(string name = "scene", long seed = 11, decimal cost = 0.001m) =>
        new(name, seed, new SimulatedExtractorOptions { Latency = LatencyDistribution.Zero, CostPerCall = cost });

    [Fact]
    public async Task ExtractAsync_NestsTokensUnderItsName()
    {
        var output = await Extractor("scene").ExtractAsync(new InputOnlyContext(Requests.Input("hello")));

        var tokens = Assert.IsType<JsonObject>(output.Tokens["scene"]);
        Assert.False(string.IsNullOrEmpty(tokens["label"]!.GetValue<string>()));
        Assert.InRange(tokens["confidence"]!.GetValue<double>(), 0.5, 1.0);
        Assert.Equal(5, tokens["bytes"]!.GetValue<int>());
    }

    [Fact]
    public async Task ExtractAsync_SameInput_SameTokens_DifferentInput_DifferentFingerprint()
    {
        var a = await Extractor().ExtractAsync(new InputOnlyContext(Requests.Input("one")));
        var b = await Extractor().ExtractAsync(new InputOnlyContext(Requests.Input("one")));
        var c = await Extractor().ExtractAsync(new InputOnlyContext(Requests.Input("two")));

        Assert.Equal(a.Tokens.ToJsonString(), b.Tokens.ToJsonString());
        Assert.NotEqual(a.Tokens["scene"]!["fingerprint"]!.GetValue<string>(), c.Tokens["scene"]!["fingerprint"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExtractAsync_ReportsCostAndTextTokens()
    {
        var output = await Extractor(cost: 0.3m).ExtractAsync(new InputOnlyContext(Requests.Input(new string('x', 40))));

        Assert.Equal(0.3m, output.Usage.Cost);
        Assert.Equal(10, output.Usage.InputTokens);
    }

    [Fact]
    public void GetLatency_TwoNames_DrawDifferentLatencies()
    {
        var options = new SimulatedExtractorOptions { Latency = LatencyDistribution.Uniform(TimeSpan.Zero, TimeSpan.FromSeconds(10)) };
        var input = Requests.Input("same input");

        var a = new SimulatedExtractor("a", 1, options).GetLatency(input);
        var b = new SimulatedExtractor("b", 1, options).GetLatency(input);

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Constructor_BlankName_Throws()
    {
        Assert.Throws<ArgumentException>(() => new SimulatedExtractor(" ", 1));
    }
}
