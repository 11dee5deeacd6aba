using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using StreamingBeam.Testing;
using static StreamingBeam.Tests.Extraction.ExtractionTestKit;

namespace StreamingBeam.Tests.Extraction;

public class ExtractionEngineStreamingTests
{
    [Fact]
    public async Task RunAsync_FastExtractorDone_YieldsItWhileSlowOneStillRuns()
    {
        var gate = new CallGate();
        var engine = new ExtractionEngine([Reg(new GatedExtractor("fast", gate)), Reg(new GatedExtractor("slow", gate))]);

        await using var updates = engine.ExtractStreamingAsync(Input).GetAsyncEnumerator();
        var first = updates.MoveNextAsync();
        await gate.Started("fast");
        await gate.Started("slow");
        gate.Release("fast");

        Assert.True(await first.AsTask().WaitAsync(Guard));
        Assert.Equal("fast", updates.Current.ExtractorName);
        Assert.Equal(ExtractionStatus.Succeeded, updates.Current.Status);
        Assert.Equal(1, updates.Current.Completed);
        Assert.Equal(2, updates.Current.Total);
        Assert.False(updates.Current.IsFinal);
        Assert.Equal(1, gate.InFlight); // "slow" is still running

        gate.Release("slow");
        var last = await updates.NextAsync();
        Assert.Equal("slow", last.ExtractorName);
        Assert.Equal(2, last.Completed);
        Assert.True(last.IsFinal);
        await updates.EndAsync();
    }

    [Fact]
    public async Task RunAsync_ExtractorsCompleteOutOfRegistrationOrder_YieldsInCompletionOrder()
    {
        var gate = new CallGate();
        var names = new[] { "a", "b", "c", "d" };
        var engine = new ExtractionEngine(names.Select(n => Reg(new GatedExtractor(n, gate))));

        await using var updates = engine.ExtractStreamingAsync(Input).GetAsyncEnumerator();
        var received = new List<ExtractionUpdate>();
        foreach (var name in new[] { "c", "a", "d", "b" })
        {
            var next = updates.MoveNextAsync();
            await gate.Started(name);
            gate.Release(name);
            Assert.True(await next.AsTask().WaitAsync(Guard));
            received.Add(updates.Current);
        }

        await updates.EndAsync();
        Assert.Equal(["c", "a", "d", "b"], received.Select(u => u.ExtractorName));
        Assert.Equal([1, 2, 3, 4], received.Select(u => u.Completed));
        Assert.Equal([false, false, false, true], received.Select(u => u.IsFinal));
    }

    [Fact]
    public async Task RunAsync_Elapsed_ComesFromTheTimeProvider()
    {
        var time = new FakeTimeProvider();
        var gate = new CallGate();
        var engine = new ExtractionEngine([Reg(new GatedExtractor("a", gate)), Reg(new GatedExtractor("b", gate))], timeProvider: time);

        await using var updates = engine.ExtractStreamingAsync(Input).GetAsyncEnumerator();
        var next = updates.MoveNextAsync();
        await gate.Started("a");
        time.Advance(TimeSpan.FromSeconds(2));
        gate.Release("a");
        Assert.True(await next.AsTask().WaitAsync(Guard));
        Assert.Equal(TimeSpan.FromSeconds(2), updates.Current.Elapsed);

        time.Advance(TimeSpan.FromSeconds(3));
        gate.Release("b");
        Assert.Equal(TimeSpan.FromSeconds(5), (await updates.NextAsync()).Elapsed);
    }

    [Fact]
    public async Task RunAsync_UpdateCarriesTokensUsageCostAndWeight()
    {
        var gate = new CallGate(autoRelease: _ => true);
        var extractor = new GatedExtractor("colour", gate)
        {
            Result = (_, _) => ValueTask.FromResult(new JsonObject { ["primary"] = "red" }),
            Usage = new ProviderUsage(InputTokens: 10, Cost: 0.5m),
        };
        var engine = new ExtractionEngine([Reg(extractor, o => { o.Cost = 2m; o.Weight = 3; })]);

        var update = Assert.Single(await engine.ExtractStreamingAsync(Input).ToListAsync());

        Assert.Equal("red", update.Tokens!["primary"]!.GetValue<string>());
        Assert.Equal(new ProviderUsage(InputTokens: 10, Cost: 0.5m), update.Usage);
        Assert.Equal(2m, update.Cost);
        Assert.Equal(3, update.Weight);
        Assert.Null(update.Error);
        Assert.Equal(ExtractionSkipReason.None, update.SkipReason);
    }

    [Fact]
    public async Task RunAsync_TenThousandSynchronousExtractors_DeliversEveryOneInOrderOfCount()
    {
        var extractors = Enumerable.Range(0, 10_000).Select(i => new SyncExtractor($"e{i}")).ToArray();
        var engine = new ExtractionEngine(extractors.Select(e => Reg(e)));

        var updates = await engine.ExtractStreamingAsync(Input).ToListAsync().WaitAsync(Guard);

        Assert.Equal(10_000, updates.Count);
        Assert.Equal(Enumerable.Range(1, 10_000), updates.Select(u => u.Completed));
        Assert.Equal(10_000, updates.Select(u => u.ExtractorName).Distinct().Count());
        Assert.True(updates[^1].IsFinal);
        Assert.Single(updates, u => u.IsFinal);
        Assert.All(extractors, e => Assert.Equal(1, e.Calls));
    }

    [Fact]
    public async Task RunAsync_LongDependencyChainOfSynchronousExtractors_Completes()
    {
        const int Length = 5_000;
        var registrations = Enumerable.Range(0, Length)
            .Select(i => Reg(new SyncExtractor($"e{i}"), o => { if (i > 0) { o.DependsOn.Add($"e{i - 1}"); } }));
        var engine = new ExtractionEngine(registrations);

        var updates = await engine.ExtractStreamingAsync(Input).ToListAsync().WaitAsync(Guard);

        Assert.Equal(Enumerable.Range(0, Length).Select(i => $"e{i}"), updates.Select(u => u.ExtractorName));
        Assert.True(updates[^1].IsFinal);
    }

    [Fact]
    public async Task RunAsync_NoExtractors_EndsWithoutUpdates()
    {
        var engine = new ExtractionEngine([]);

        Assert.Empty(await engine.ExtractStreamingAsync(Input).ToListAsync());
    }

    [Fact]
    public async Task RunAsync_TwoConcurrentRunsOnOneEngine_AreIndependent()
    {
        var gate = new CallGate();
        var depth = new ArtifactKey<string>("depth");
        var computations = 0;
        var preprocessor = PreprocessorRegistration.Create(depth, (input, _) =>
        {
            Interlocked.Increment(ref computations);
            return ValueTask.FromResult(input.Name!);
        });
        var engine = new ExtractionEngine([Reg(new PerRunExtractor("a", gate, depth)), Reg(new PerRunExtractor("b", gate, depth))], [preprocessor]);

        await using var run1 = engine.ExtractStreamingAsync(new ExtractionInput { Name = "r1" }).GetAsyncEnumerator();
        await using var run2 = engine.ExtractStreamingAsync(new ExtractionInput { Name = "r2" }).GetAsyncEnumerator();
        var next1 = run1.MoveNextAsync();
        var next2 = run2.MoveNextAsync();
        await gate.Started("r1/a");
        await gate.Started("r2/b");

        gate.Release("r2/b");
        Assert.True(await next2.AsTask().WaitAsync(Guard));
        Assert.Equal("b", run2.Current.ExtractorName);
        Assert.Equal("r2", run2.Current.Tokens!["artifact"]!.GetValue<string>());
        Assert.False(next1.IsCompleted);

        gate.Release("r1/a", "r1/b", "r2/a");
        Assert.True(await next1.AsTask().WaitAsync(Guard));
        Assert.Equal("r1", run1.Current.Tokens!["artifact"]!.GetValue<string>());
        Assert.True((await run1.NextAsync()).IsFinal);
        Assert.True((await run2.NextAsync()).IsFinal);
        Assert.Equal(2, computations); // once per run
    }

    [Fact]
    public void RunAsync_NullInput_ThrowsEagerly()
    {
        var engine = new ExtractionEngine([Reg(new SyncExtractor("a"))]);

        Assert.Throws<ArgumentNullException>(() => engine.ExtractStreamingAsync(null!));
        Assert.Throws<ArgumentNullException>(() => engine.ExtractBatchesStreamingAsync(null!));
    }

    [Fact]
    public void ExtractorNames_ListsRegistrationsInOrder()
    {
        var engine = new ExtractionEngine([Reg(new SyncExtractor("b")), Reg(new SyncExtractor("a"))]);

        Assert.Equal(["b", "a"], engine.ExtractorNames);
    }

    private sealed class PerRunExtractor(string name, CallGate gate, ArtifactKey<string> artifact) : IExtractor
    {
        public string Name { get; } = name;

        public async Task<ExtractorOutput> ExtractAsync(ExtractionContext context, CancellationToken cancellationToken = default)
        {
            await gate.EnterAsync($"{context.Input.Name}/{Name}", cancellationToken);
            var value = await context.GetArtifactAsync(artifact, cancellationToken);
            return new ExtractorOutput(new JsonObject { ["artifact"] = value });
        }
    }
}
