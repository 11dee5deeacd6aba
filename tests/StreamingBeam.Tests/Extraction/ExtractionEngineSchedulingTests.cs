using System.Text.Json.Nodes;
using StreamingBeam.Testing;
using static StreamingBeam.Tests.Extraction.ExtractionTestKit;

namespace StreamingBeam.Tests.Extraction;

public class ExtractionEngineSchedulingTests
{
    [Fact]
    public async Task ExtractBatchesStreamingAsync_TieredMode_HoldsEachTierUntilItsSlowestMemberIsDone()
    {
        var gate = new CallGate();
        var engine = new ExtractionEngine(
        [
            Reg(new GatedExtractor("a", gate)),
            Reg(new GatedExtractor("b", gate)),
            Reg(new GatedExtractor("d", gate), o => o.DependsOn.Add("a")),
            Reg(new GatedExtractor("c", gate), o => o.Tier = 1),
        ]);

        await using var batches = engine.ExtractBatchesStreamingAsync(Input, new ExtractionRunOptions { Mode = ExtractionMode.Tiered }).GetAsyncEnumerator();
        var first = batches.MoveNextAsync();
        await gate.Started("a");
        await gate.Started("b");
        Assert.False(gate.HasStarted("c"));

        gate.Release("a");
        await gate.Started("d"); // the engine has recorded "a" ...
        Assert.False(first.IsCompleted); // ... but holds it for the rest of its tier
        gate.Release("d");
        Assert.False(gate.HasStarted("c"));
        gate.Release("b");

        Assert.True(await first.AsTask().WaitAsync(Guard));
        var tier0 = batches.Current;
        Assert.Equal("a", tier0[0].ExtractorName);
        Assert.Equal(["a", "b", "d"], tier0.Select(u => u.ExtractorName).Order());
        Assert.Equal([1, 2, 3], tier0.Select(u => u.Completed));
        Assert.DoesNotContain(tier0, u => u.IsFinal);

        await gate.Started("c");
        gate.Release("c");
        var tier1 = Assert.Single(await batches.NextAsync());
        Assert.Equal("c", tier1.ExtractorName);
        Assert.True(tier1.IsFinal);
        await batches.EndAsync();
    }

    [Fact]
    public async Task RunAsync_TieredMode_YieldsATiersUpdatesOneAfterAnother()
    {
        var gate = new CallGate(autoRelease: _ => true);
        var engine = new ExtractionEngine(
        [
            Reg(new GatedExtractor("late", gate), o => o.Tier = 5),
            Reg(new GatedExtractor("early", gate), o => o.Tier = -1),
        ]);

        var updates = await engine.ExtractStreamingAsync(Input, new ExtractionRunOptions { Mode = ExtractionMode.Tiered }).ToListAsync();

        Assert.Equal(["early", "late"], updates.Select(u => u.ExtractorName));
        Assert.True(updates[1].IsFinal);
    }

    [Fact]
    public async Task ExtractBatchesStreamingAsync_AtomicModeWithoutCoalescing_YieldsOneUpdatePerBatch()
    {
        var engine = new ExtractionEngine([Reg(new SyncExtractor("a")), Reg(new SyncExtractor("b"))]);

        var batches = await engine.ExtractBatchesStreamingAsync(Input).ToListAsync();

        Assert.Equal(2, batches.Count);
        Assert.All(batches, b => Assert.Single(b));
    }

    [Fact]
    public async Task RunAsync_ConcurrencyLimitOfOne_StartsHigherPriorityFirstAndBreaksTiesByRegistrationOrder()
    {
        var gate = new CallGate();
        var engine = new ExtractionEngine(
        [
            Reg(new GatedExtractor("low", gate), o => o.Priority = 0),
            Reg(new GatedExtractor("high1", gate), o => o.Priority = 5),
            Reg(new GatedExtractor("mid", gate), o => o.Priority = 1),
            Reg(new GatedExtractor("high2", gate), o => o.Priority = 5),
        ]);

        await using var updates = engine.ExtractStreamingAsync(Input, new ExtractionRunOptions { MaxConcurrency = 1 }).GetAsyncEnumerator();
        var pending = updates.MoveNextAsync();
        foreach (var expected in new[] { "high1", "high2", "mid", "low" })
        {
            await gate.Started(expected);
            Assert.Equal(1, gate.InFlight);
            gate.Release(expected);
        }

        Assert.Equal(["high1", "high2", "mid", "low"], gate.Started);
        Assert.True(await pending.AsTask().WaitAsync(Guard));
        Assert.Equal("high1", updates.Current.ExtractorName);
    }

    [Fact]
    public async Task RunAsync_ConcurrencyLimitOfTwo_NeverRunsMoreThanTwo()
    {
        var gate = new CallGate();
        var engine = new ExtractionEngine(new[] { "a", "b", "c" }.Select(n => Reg(new GatedExtractor(n, gate))));

        await using var updates = engine.ExtractStreamingAsync(Input, new ExtractionRunOptions { MaxConcurrency = 2 }).GetAsyncEnumerator();
        var next = updates.MoveNextAsync();
        await gate.Started("a");
        await gate.Started("b");
        Assert.False(gate.HasStarted("c"));

        gate.Release("b");
        Assert.True(await next.AsTask().WaitAsync(Guard));
        await gate.Started("c");
        Assert.Equal(2, gate.InFlight);
        gate.Release("a", "c");
        await updates.NextAsync();
        Assert.True((await updates.NextAsync()).IsFinal);
    }

    [Fact]
    public async Task RunAsync_Dependent_StartsWhenItsDependencyCompletesAndNotBefore()
    {
        var gate = new CallGate();
        JsonObject? seen = null;
        var dependent = new GatedExtractor("b", gate)
        {
            Result = (context, _) =>
            {
                seen = context.GetDependencyResult("a");
                return ValueTask.FromResult(new JsonObject { ["b"] = true });
            },
        };
        var engine = new ExtractionEngine(
        [
            Reg(new GatedExtractor("a", gate)),
            Reg(dependent, o => o.DependsOn.Add("a")),
            Reg(new GatedExtractor("c", gate)),
        ]);

        await using var updates = engine.ExtractStreamingAsync(Input).GetAsyncEnumerator();
        var next = updates.MoveNextAsync();
        await gate.Started("a");
        await gate.Started("c");
        gate.Release("c");
        Assert.True(await next.AsTask().WaitAsync(Guard));
        Assert.Equal("c", updates.Current.ExtractorName);
        Assert.False(gate.HasStarted("b")); // an unrelated completion does not start it

        gate.Release("a");
        await gate.Started("b"); // started by a's completion, before anyone read a's update
        Assert.Equal("a", (await updates.NextAsync()).ExtractorName);
        gate.Release("b");
        var last = await updates.NextAsync();
        Assert.Equal("b", last.ExtractorName);
        Assert.True(last.IsFinal);
        Assert.Equal(new JsonObject { ["a"] = true }.ToJsonString(), seen!.ToJsonString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunAsync_Condition_RunsTheDependentOnlyWhenItHolds(bool colourFoundGradients)
    {
        var gate = new CallGate(autoRelease: _ => true);
        var colour = new GatedExtractor("colour", gate)
        {
            Result = (_, _) => ValueTask.FromResult(new JsonObject
            {
                ["gradients"] = colourFoundGradients ? new JsonArray("sunset") : new JsonArray(),
            }),
        };
        var gradient = new GatedExtractor("gradient", gate);
        var engine = new ExtractionEngine(
        [
            Reg(colour),
            Reg(gradient, o =>
            {
                o.DependsOn.Add("colour");
                o.Condition = context => context.GetDependencyResult("colour")?["gradients"] is JsonArray { Count: > 0 };
            }),
        ]);

        var updates = await engine.ExtractStreamingAsync(Input).ToListAsync();

        var last = updates[^1];
        Assert.Equal("gradient", last.ExtractorName);
        Assert.True(last.IsFinal);
        if (colourFoundGradients)
        {
            Assert.Equal(ExtractionStatus.Succeeded, last.Status);
            Assert.Equal(1, gradient.CallCount);
        }
        else
        {
            Assert.Equal(ExtractionStatus.Skipped, last.Status);
            Assert.Equal(ExtractionSkipReason.ConditionFalse, last.SkipReason);
            Assert.Null(last.Tokens);
            Assert.Equal(0m, last.Cost);
            Assert.Equal(0, gradient.CallCount);
        }
    }

    [Fact]
    public async Task RunAsync_ConditionThrows_FailsThatExtractorOnly()
    {
        var engine = new ExtractionEngine(
        [
            Reg(new SyncExtractor("a"), o => o.Condition = _ => throw new FormatException("bad")),
            Reg(new SyncExtractor("b")),
        ]);

        var updates = await engine.ExtractStreamingAsync(Input).ToListAsync();

        var a = Assert.Single(updates, u => u.ExtractorName == "a");
        Assert.Equal(ExtractionStatus.Failed, a.Status);
        Assert.IsType<FormatException>(a.Error!.InnerException);
        Assert.Contains("'a'", a.Error.Message, StringComparison.Ordinal);
        Assert.Equal(ExtractionStatus.Succeeded, Assert.Single(updates, u => u.ExtractorName == "b").Status);
    }

    [Fact]
    public async Task RunAsync_DependencyFails_SkipsItsDependentsTransitivelyAndOthersGoOn()
    {
        var gate = new CallGate();
        gate.Fail("a", new InvalidOperationException("a broke"));
        gate.Release("d");
        var engine = new ExtractionEngine(
        [
            Reg(new GatedExtractor("a", gate)),
            Reg(new GatedExtractor("b", gate), o => o.DependsOn.Add("a")),
            Reg(new GatedExtractor("c", gate), o => o.DependsOn.Add("b")),
            Reg(new GatedExtractor("d", gate)),
        ]);

        var updates = await engine.ExtractStreamingAsync(Input).ToListAsync();

        Assert.Equal(4, updates.Count);
        Assert.Equal(ExtractionStatus.Failed, updates.Single(u => u.ExtractorName == "a").Status);
        Assert.All(updates.Where(u => u.ExtractorName is "b" or "c"), u =>
        {
            Assert.Equal(ExtractionStatus.Skipped, u.Status);
            Assert.Equal(ExtractionSkipReason.DependencyNotSucceeded, u.SkipReason);
        });
        Assert.True(updates.IndexOf(updates.Single(u => u.ExtractorName == "b")) < updates.IndexOf(updates.Single(u => u.ExtractorName == "c")));
        Assert.Equal(ExtractionStatus.Succeeded, updates.Single(u => u.ExtractorName == "d").Status);
        Assert.True(updates[^1].IsFinal);
        Assert.False(gate.HasStarted("b"));
    }

    [Fact]
    public async Task RunAsync_GetDependencyResult_ReturnsNullForUndeclaredExtractors()
    {
        JsonObject? undeclared = new();
        var gate = new CallGate(autoRelease: _ => true);
        var engine = new ExtractionEngine(
        [
            Reg(new SyncExtractor("a")),
            Reg(new SyncExtractor("x")),
            Reg(new GatedExtractor("b", gate)
            {
                Result = (context, _) =>
                {
                    undeclared = context.GetDependencyResult("x");
                    return ValueTask.FromResult(new JsonObject());
                },
            }, o => o.DependsOn.Add("a")),
        ]);

        await engine.ExtractStreamingAsync(Input).ToListAsync();

        Assert.Null(undeclared);
    }

    [Fact]
    public async Task RunAsync_Budget_SkipsExtractorsWhoseCostWouldExceedIt()
    {
        var a = new SyncExtractor("a");
        var b = new SyncExtractor("b");
        var c = new SyncExtractor("c");
        var engine = new ExtractionEngine(
        [
            Reg(a, o => o.Cost = 6m),
            Reg(b, o => o.Cost = 6m),
            Reg(c, o => o.Cost = 3m),
        ]);

        var updates = await engine.ExtractStreamingAsync(Input, new ExtractionRunOptions { Budget = 10m }).ToListAsync();

        var skipped = Assert.Single(updates, u => u.Status == ExtractionStatus.Skipped);
        Assert.Equal("b", skipped.ExtractorName);
        Assert.Equal(ExtractionSkipReason.BudgetExceeded, skipped.SkipReason);
        Assert.Equal(0m, skipped.Cost);
        Assert.Equal(9m, updates.Sum(u => u.Cost));
        Assert.Equal((1, 0, 1), (a.Calls, b.Calls, c.Calls));
        Assert.True(updates[^1].IsFinal);
    }

    [Fact]
    public async Task RunAsync_BudgetWithCondition_ChargesOnlyWhenTheConditionHolds()
    {
        var engine = new ExtractionEngine(
        [
            Reg(new SyncExtractor("never"), o => { o.Cost = 10m; o.Condition = _ => false; }),
            Reg(new SyncExtractor("cheap"), o => o.Cost = 10m),
        ]);

        var updates = await engine.ExtractStreamingAsync(Input, new ExtractionRunOptions { Budget = 10m }).ToListAsync();

        Assert.Equal(ExtractionSkipReason.ConditionFalse, updates.Single(u => u.ExtractorName == "never").SkipReason);
        Assert.Equal(ExtractionStatus.Succeeded, updates.Single(u => u.ExtractorName == "cheap").Status);
    }
}
