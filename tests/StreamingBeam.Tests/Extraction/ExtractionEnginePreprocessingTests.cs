using System.Text.Json.Nodes;
using StreamingBeam.Testing;
using static StreamingBeam.Tests.Extraction.ExtractionTestKit;

namespace StreamingBeam.Tests.Extraction;

public class ExtractionEnginePreprocessingTests
{
    private static readonly ArtifactKey<int[]> Depth = new("depth");

    [Fact]
    public async Task GetArtifactAsync_ThreeExtractorsAskAtOnce_ComputesTheArtifactOnce()
    {
        var gate = new CallGate();
        var computations = 0;
        var asked = 0;
        var allAsked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var preprocessor = PreprocessorRegistration.Create(Depth, async (_, ct) =>
        {
            Interlocked.Increment(ref computations);
            await gate.EnterAsync("depth", ct);
            return new[] { 1, 2, 3 };
        });
        var extractors = new[] { "x", "y", "z" }.Select(name => new DepthExtractor(name, () =>
        {
            if (Interlocked.Increment(ref asked) == 3)
            {
                allAsked.TrySetResult();
            }
        }));
        var engine = new ExtractionEngine(extractors.Select(e => Reg(e)), [preprocessor]);

        await using var updates = engine.ExtractStreamingAsync(Input).GetAsyncEnumerator();
        var next = updates.MoveNextAsync();
        await allAsked.Task.WaitAsync(Guard);
        await gate.Started("depth");
        Assert.Equal(1, computations);
        Assert.Equal(1, gate.InFlight);

        gate.Release("depth");
        Assert.True(await next.AsTask().WaitAsync(Guard));
        var all = new List<ExtractionUpdate> { updates.Current, await updates.NextAsync(), await updates.NextAsync() };
        Assert.All(all, u => Assert.Equal(6, u.Tokens!["sum"]!.GetValue<int>()));
        Assert.True(all[^1].IsFinal);
        Assert.Equal(1, computations);
    }

    [Fact]
    public async Task GetArtifactAsync_PreprocessorFails_FailsOnlyTheExtractorsThatNeedIt()
    {
        var preprocessor = PreprocessorRegistration.Create<int[]>(Depth, (_, _) => throw new InvalidDataException("no depth"));
        var engine = new ExtractionEngine(
            [Reg(new DepthExtractor("x", null)), Reg(new DepthExtractor("y", null)), Reg(new SyncExtractor("plain"))],
            [preprocessor]);

        var updates = (await engine.ExtractStreamingAsync(Input).ToListAsync()).ToDictionary(u => u.ExtractorName);

        foreach (var name in new[] { "x", "y" })
        {
            Assert.Equal(ExtractionStatus.Failed, updates[name].Status);
            var error = Assert.IsType<InvalidOperationException>(updates[name].Error);
            Assert.Equal("Artifact 'depth' could not be computed: no depth", error.Message);
            Assert.IsType<InvalidDataException>(error.InnerException);
        }

        Assert.Equal(ExtractionStatus.Succeeded, updates["plain"].Status);
    }

    [Fact]
    public async Task GetArtifactAsync_UnknownKeyOrWrongType_FailsTheExtractorWithKeyNotFound()
    {
        var preprocessor = PreprocessorRegistration.Create(Depth, (_, _) => ValueTask.FromResult(new[] { 1 }));
        var gate = new CallGate(autoRelease: _ => true);
        var engine = new ExtractionEngine(
        [
            Reg(new GatedExtractor("unknown", gate) { Result = async (c, ct) => { await c.GetArtifactAsync(new ArtifactKey<int>("nope"), ct); return []; } }),
            Reg(new GatedExtractor("wrong-type", gate) { Result = async (c, ct) => { await c.GetArtifactAsync(new ArtifactKey<string>("depth"), ct); return []; } }),
        ], [preprocessor]);

        var updates = (await engine.ExtractStreamingAsync(Input).ToListAsync()).ToDictionary(u => u.ExtractorName);

        Assert.Equal("No preprocessor is registered for artifact 'nope'.", Assert.IsType<KeyNotFoundException>(updates["unknown"].Error).Message);
        Assert.Contains("'depth' is registered with type System.Int32[]", Assert.IsType<KeyNotFoundException>(updates["wrong-type"].Error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetArtifactAsync_NoExtractorAsks_NeverComputesTheArtifact()
    {
        var computations = 0;
        var preprocessor = PreprocessorRegistration.Create(Depth, (_, _) =>
        {
            Interlocked.Increment(ref computations);
            return ValueTask.FromResult(new[] { 1 });
        });
        var engine = new ExtractionEngine([Reg(new SyncExtractor("plain"))], [preprocessor]);

        await engine.ExtractStreamingAsync(Input).ToListAsync();

        Assert.Equal(0, computations);
    }

    [Fact]
    public async Task GetArtifactAsync_RunStoppedWhileComputing_CancelsAndAwaitsTheComputation()
    {
        var gate = new CallGate();
        var preprocessor = PreprocessorRegistration.Create(Depth, async (_, ct) =>
        {
            await gate.EnterAsync("depth", ct);
            return new[] { 1 };
        });
        gate.Release("fast");
        var engine = new ExtractionEngine([Reg(new DepthExtractor("x", null)), Reg(new GatedExtractor("fast", gate))], [preprocessor]);

        await using (var updates = engine.ExtractStreamingAsync(Input).GetAsyncEnumerator())
        {
            var next = updates.MoveNextAsync();
            await gate.Started("depth");
            Assert.True(await next.AsTask().WaitAsync(Guard));
            Assert.Equal("fast", updates.Current.ExtractorName);
        }

        Assert.Equal(["depth"], gate.Canceled);
        Assert.Equal(0, gate.InFlight);
    }

    private sealed class DepthExtractor(string name, Action? onAsked) : IExtractor
    {
        public string Name { get; } = name;

        public async Task<ExtractorOutput> ExtractAsync(ExtractionContext context, CancellationToken cancellationToken = default)
        {
            var pending = context.GetArtifactAsync(Depth, cancellationToken);
            onAsked?.Invoke();
            var depth = await pending;
            return new ExtractorOutput(new JsonObject { ["sum"] = depth.Sum() });
        }
    }
}
