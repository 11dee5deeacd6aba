using System.Text.Json.Nodes;

namespace StreamingBeam.Testing.Tests.Gates;

public class GatedExtractorTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task ExtractAsync_WaitsUntilReleasedThenReturnsDefaultTokens()
    {
        var gate = new CallGate();
        var extractor = new GatedExtractor("colour", gate);

        var call = extractor.ExtractAsync(new TestContext());
        await gate.WaitForStartAsync("colour").WaitAsync(Guard);
        Assert.False(call.IsCompleted);
        Assert.Equal(1, extractor.CallCount);

        gate.Release("colour");
        var output = await call.WaitAsync(Guard);
        Assert.Equal("""{"colour":true}""", output.Tokens.ToJsonString());
    }

    [Fact]
    public async Task ExtractAsync_WithResultKeyAndUsage_UsesThem()
    {
        var gate = new CallGate();
        gate.Release("custom-key");
        var context = new TestContext();
        var extractor = new GatedExtractor("colour", gate, key: "custom-key")
        {
            Result = (c, _) => ValueTask.FromResult(new JsonObject { ["same-context"] = ReferenceEquals(c, context) }),
            Usage = new ProviderUsage(OutputTokens: 4, Cost: 1m),
        };

        var output = await extractor.ExtractAsync(context).WaitAsync(Guard);

        Assert.Equal("custom-key", extractor.Key);
        Assert.True(output.Tokens["same-context"]!.GetValue<bool>());
        Assert.Equal(new ProviderUsage(OutputTokens: 4, Cost: 1m), output.Usage);
    }

    [Fact]
    public async Task ExtractAsync_WithProvisional_PublishesACopyBeforeWaiting()
    {
        var gate = new CallGate();
        var provisional = new JsonObject { ["guess"] = "blue" };
        var context = new TestContext();
        var extractor = new GatedExtractor("colour", gate) { Provisional = provisional };

        var call = extractor.ExtractAsync(context);
        await gate.WaitForStartAsync("colour").WaitAsync(Guard);

        var published = Assert.Single(context.Provisional);
        Assert.NotSame(provisional, published);
        Assert.Equal(provisional.ToJsonString(), published.ToJsonString());
        gate.Release("colour");
        await call.WaitAsync(Guard);
    }

    [Fact]
    public async Task ExtractAsync_Failed_Throws()
    {
        var gate = new CallGate();
        gate.Fail("colour", new TimeoutException("boom"));

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => new GatedExtractor("colour", gate).ExtractAsync(new TestContext()));

        Assert.Equal("boom", ex.Message);
    }

    [Fact]
    public async Task ExtractAsync_Canceled_IsRecordedByTheGate()
    {
        var gate = new CallGate();
        using var cts = new CancellationTokenSource();

        var call = new GatedExtractor("colour", gate).ExtractAsync(new TestContext(), cts.Token);
        await gate.WaitForStartAsync("colour").WaitAsync(Guard);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Guard));
        Assert.Equal(["colour"], gate.Canceled);
        Assert.Equal(0, gate.InFlight);
    }

    [Fact]
    public void Constructor_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentException>(() => new GatedExtractor(" ", new CallGate()));
        Assert.Throws<ArgumentNullException>(() => new GatedExtractor("a", null!));
    }

    private sealed class TestContext : ExtractionContext
    {
        public List<JsonObject> Provisional { get; } = [];

        public override ExtractionInput Input { get; } = new();

        public override ValueTask<T> GetArtifactAsync<T>(ArtifactKey<T> key, CancellationToken cancellationToken = default) =>
            throw new KeyNotFoundException(key.Name);

        public override JsonObject? GetDependencyResult(string extractorName) => null;

        public override void PublishProvisional(JsonObject tokens) => Provisional.Add(tokens);
    }
}
