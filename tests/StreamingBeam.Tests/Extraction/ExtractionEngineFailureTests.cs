using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using StreamingBeam.Testing;
using static StreamingBeam.Tests.Extraction.ExtractionTestKit;

namespace StreamingBeam.Tests.Extraction;

public class ExtractionEngineFailureTests
{
    [Fact]
    public async Task RunAsync_ExtractorThrows_ReportsItFailedAndTheOthersGoOn()
    {
        var gate = new CallGate();
        var error = new HttpRequestException("vendor down");
        var engine = new ExtractionEngine(new[] { "a", "b", "c" }.Select(n => Reg(new GatedExtractor(n, gate))));

        await using var updates = engine.ExtractStreamingAsync(Input).GetAsyncEnumerator();
        var next = updates.MoveNextAsync();
        await gate.Started("b");
        gate.Fail("b", error);
        Assert.True(await next.AsTask().WaitAsync(Guard));
        Assert.Equal("b", updates.Current.ExtractorName);
        Assert.Equal(ExtractionStatus.Failed, updates.Current.Status);
        Assert.Same(error, updates.Current.Error);
        Assert.Null(updates.Current.Tokens);

        gate.Release("a");
        Assert.Equal(ExtractionStatus.Succeeded, (await updates.NextAsync()).Status);
        gate.Release("c");
        var last = await updates.NextAsync();
        Assert.Equal(ExtractionStatus.Succeeded, last.Status);
        Assert.True(last.IsFinal);
        Assert.Equal(3, last.Completed);
        await updates.EndAsync();
    }

    [Fact]
    public async Task RunAsync_ExtractorThrowsSynchronouslyOrReturnsNull_FailsThatExtractor()
    {
        var throwing = Substitute.For<IExtractor>();
        throwing.Name.Returns("throwing");
        throwing.ExtractAsync(default!, default).ReturnsForAnyArgs<Task<ExtractorOutput>>(_ => throw new NotSupportedException("sync"));
        var nullTask = Substitute.For<IExtractor>();
        nullTask.Name.Returns("null-task");
        nullTask.ExtractAsync(default!, default).ReturnsForAnyArgs((Task<ExtractorOutput>)null!);
        var nullOutput = Substitute.For<IExtractor>();
        nullOutput.Name.Returns("null-output");
        nullOutput.ExtractAsync(default!, default).ReturnsForAnyArgs(Task.FromResult<ExtractorOutput>(null!));
        var engine = new ExtractionEngine([Reg(throwing), Reg(nullTask), Reg(nullOutput), Reg(new SyncExtractor("ok"))]);

        var updates = (await engine.ExtractStreamingAsync(Input).ToListAsync()).ToDictionary(u => u.ExtractorName);

        Assert.IsType<NotSupportedException>(updates["throwing"].Error);
        Assert.Contains("null task", updates["null-task"].Error!.Message, StringComparison.Ordinal);
        Assert.Contains("null ExtractorOutput", updates["null-output"].Error!.Message, StringComparison.Ordinal);
        Assert.Equal(ExtractionStatus.Succeeded, updates["ok"].Status);
    }

    [Fact]
    public async Task RunAsync_ExtractorExceedsItsTimeout_ReportsTimedOutCancelsItsCallAndTheOthersGoOn()
    {
        var time = new FakeTimeProvider();
        var gate = new CallGate();
        var engine = new ExtractionEngine(
            [Reg(new GatedExtractor("slow", gate), o => o.Timeout = TimeSpan.FromSeconds(5)), Reg(new GatedExtractor("fast", gate))],
            timeProvider: time);

        await using var updates = engine.ExtractStreamingAsync(Input).GetAsyncEnumerator();
        var next = updates.MoveNextAsync();
        await gate.Started("slow");
        await gate.Started("fast");
        time.Advance(TimeSpan.FromSeconds(4));
        gate.Release("fast");
        Assert.True(await next.AsTask().WaitAsync(Guard));
        Assert.Equal("fast", updates.Current.ExtractorName);
        Assert.Equal(1, gate.InFlight); // 4 s in, "slow" is still allowed to run

        time.Advance(TimeSpan.FromSeconds(1));
        var timedOut = await updates.NextAsync();
        Assert.Equal("slow", timedOut.ExtractorName);
        Assert.Equal(ExtractionStatus.TimedOut, timedOut.Status);
        var error = Assert.IsType<TimeoutException>(timedOut.Error);
        Assert.Contains("'slow'", error.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(5), timedOut.Elapsed);
        Assert.True(timedOut.IsFinal);
        await updates.EndAsync();
        Assert.Equal(["slow"], gate.Canceled);
        Assert.Equal(0, gate.InFlight);
    }

    [Fact]
    public async Task RunAsync_TimedOutExtractorIgnoresItsToken_IsReportedOnTimeAndAwaitedBeforeTheStreamEnds()
    {
        var time = new FakeTimeProvider();
        var gate = new CallGate();
        var engine = new ExtractionEngine([Reg(new StubbornExtractor("stubborn", gate), o => o.Timeout = TimeSpan.FromSeconds(1))], timeProvider: time);

        await using var updates = engine.ExtractStreamingAsync(Input).GetAsyncEnumerator();
        var next = updates.MoveNextAsync();
        await gate.Started("stubborn");
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await next.AsTask().WaitAsync(Guard));
        Assert.Equal(ExtractionStatus.TimedOut, updates.Current.Status);
        Assert.True(updates.Current.IsFinal);
        Assert.Equal(1, gate.InFlight);

        var end = updates.MoveNextAsync().AsTask();
        Assert.False(end.IsCompleted); // the stream waits for the abandoned call
        gate.Release("stubborn");
        Assert.False(await end.WaitAsync(Guard));
        Assert.Equal(0, gate.InFlight);
    }

    [Fact]
    public async Task RunAsync_RequiredExtractorFails_DeliversWhatArrivedThenThrowsAndCancelsTheRest()
    {
        var gate = new CallGate();
        var error = new InvalidOperationException("model refused");
        var engine = new ExtractionEngine(
        [
            Reg(new GatedExtractor("needed", gate), o => o.Required = true),
            Reg(new GatedExtractor("b", gate)),
            Reg(new GatedExtractor("c", gate)),
        ]);

        await using var updates = engine.ExtractStreamingAsync(Input).GetAsyncEnumerator();
        var next = updates.MoveNextAsync();
        await gate.Started("needed");
        await gate.Started("c");
        gate.Release("b");
        Assert.True(await next.AsTask().WaitAsync(Guard));
        Assert.Equal("b", updates.Current.ExtractorName);

        gate.Fail("needed", error);
        var failed = await updates.NextAsync();
        Assert.Equal("needed", failed.ExtractorName);
        Assert.Equal(ExtractionStatus.Failed, failed.Status);
        Assert.False(failed.IsFinal);

        var ex = await Assert.ThrowsAsync<RequiredExtractorFailedException>(() => updates.MoveNextAsync().AsTask().WaitAsync(Guard));
        Assert.Equal("needed", ex.ExtractorName);
        Assert.Equal(ExtractionStatus.Failed, ex.Status);
        Assert.Same(error, ex.InnerException);
        Assert.Equal("Required extractor 'needed' failed; the extraction run stops. model refused", ex.Message);
        Assert.Equal(["c"], gate.Canceled);
        Assert.Equal(0, gate.InFlight);
    }

    [Fact]
    public async Task RunAsync_RequiredExtractorSkippedByBudget_Throws()
    {
        var engine = new ExtractionEngine([Reg(new SyncExtractor("needed"), o => { o.Required = true; o.Cost = 5m; })]);

        var updates = new List<ExtractionUpdate>();
        var ex = await Assert.ThrowsAsync<RequiredExtractorFailedException>(async () =>
        {
            await foreach (var update in engine.ExtractStreamingAsync(Input, new ExtractionRunOptions { Budget = 1m }))
            {
                updates.Add(update);
            }
        });

        Assert.Equal(ExtractionSkipReason.BudgetExceeded, Assert.Single(updates).SkipReason);
        Assert.Equal(ExtractionSkipReason.BudgetExceeded, ex.SkipReason);
        Assert.Equal("Required extractor 'needed' was skipped (BudgetExceeded); the extraction run stops.", ex.Message);
    }

    [Fact]
    public async Task RunAsync_RequiredExtractorSkippedByItsCondition_DoesNotEndTheRun()
    {
        var engine = new ExtractionEngine([Reg(new SyncExtractor("optional-ish"), o => { o.Required = true; o.Condition = _ => false; }), Reg(new SyncExtractor("b"))]);

        var updates = await engine.ExtractStreamingAsync(Input).ToListAsync();

        Assert.Equal(2, updates.Count);
        Assert.True(updates[^1].IsFinal);
    }

    [Fact]
    public async Task ExtractBatchesStreamingAsync_RequiredFailureInTieredMode_DeliversTheTierSoFarThenThrows()
    {
        var gate = new CallGate();
        var engine = new ExtractionEngine(
        [
            Reg(new GatedExtractor("a", gate)),
            Reg(new GatedExtractor("needed", gate), o => o.Required = true),
            Reg(new GatedExtractor("b", gate)),
            Reg(new GatedExtractor("after-a", gate), o => o.DependsOn.Add("a")),
            Reg(new GatedExtractor("later", gate), o => o.Tier = 1),
        ]);

        await using var batches = engine.ExtractBatchesStreamingAsync(Input, new ExtractionRunOptions { Mode = ExtractionMode.Tiered }).GetAsyncEnumerator();
        var next = batches.MoveNextAsync();
        await gate.Started("b");
        gate.Release("a");
        await gate.Started("after-a"); // the engine has recorded "a"
        gate.Fail("needed", new TimeoutException("slow vendor"));
        Assert.True(await next.AsTask().WaitAsync(Guard)); // a and needed arrived; b still running
        Assert.Equal(["a", "needed"], batches.Current.Select(u => u.ExtractorName).Order());

        await Assert.ThrowsAsync<RequiredExtractorFailedException>(() => batches.MoveNextAsync().AsTask().WaitAsync(Guard));
        Assert.Equal(["after-a", "b"], gate.Canceled.Order());
        Assert.Equal(0, gate.InFlight);
        Assert.False(gate.HasStarted("later"));
    }

    [Fact]
    public async Task RunAsync_ProvisionalResult_IsDeliveredBeforeTheFinalOneAndDoesNotCount()
    {
        var gate = new CallGate();
        var engine = new ExtractionEngine(
        [
            Reg(new GatedExtractor("a", gate) { Provisional = new JsonObject { ["guess"] = "blue" } }),
            Reg(new GatedExtractor("b", gate)),
        ]);

        await using var updates = engine.ExtractStreamingAsync(Input).GetAsyncEnumerator();
        var provisional = await updates.NextAsync();
        Assert.Equal("a", provisional.ExtractorName);
        Assert.Equal(ExtractionStatus.Provisional, provisional.Status);
        Assert.True(provisional.IsProvisional);
        Assert.Equal("blue", provisional.Tokens!["guess"]!.GetValue<string>());
        Assert.Equal(0, provisional.Completed);
        Assert.False(provisional.IsFinal);
        Assert.Equal(0m, provisional.Cost);
        Assert.Equal(2, gate.InFlight);

        gate.Release("a");
        var final = await updates.NextAsync();
        Assert.Equal("a", final.ExtractorName);
        Assert.Equal(ExtractionStatus.Succeeded, final.Status);
        Assert.False(final.IsProvisional);
        Assert.Equal(1, final.Completed);

        gate.Release("b");
        var last = await updates.NextAsync();
        Assert.Equal(2, last.Completed);
        Assert.True(last.IsFinal);
        await updates.EndAsync();
    }

    [Fact]
    public async Task PublishProvisional_AfterTheExtractorFinished_IsIgnored()
    {
        var gate = new CallGate();
        ExtractionContext? kept = null;
        var engine = new ExtractionEngine(
        [
            Reg(new GatedExtractor("a", gate)
            {
                Result = (context, _) =>
                {
                    kept = context;
                    return ValueTask.FromResult(new JsonObject());
                },
            }),
            Reg(new GatedExtractor("b", gate)),
        ]);

        await using var updates = engine.ExtractStreamingAsync(Input).GetAsyncEnumerator();
        var next = updates.MoveNextAsync();
        gate.Release("a");
        Assert.True(await next.AsTask().WaitAsync(Guard));
        Assert.Equal("a", updates.Current.ExtractorName);

        kept!.PublishProvisional(new JsonObject { ["late"] = true });
        gate.Release("b");
        var last = await updates.NextAsync();
        Assert.Equal("b", last.ExtractorName);
        await updates.EndAsync();
    }
}
