using StreamingBeam.Testing;
using static StreamingBeam.Tests.Extraction.ExtractionTestKit;

namespace StreamingBeam.Tests.Extraction;

public class ExtractionEngineCancellationTests
{
    private static ExtractionEngine ThreeGated(CallGate gate, ExtractionRunOptions? defaults = null) =>
        new(new[] { "a", "b", "c" }.Select(n => Reg(new GatedExtractor(n, gate))), defaultRunOptions: defaults);

    [Fact]
    public async Task RunAsync_ConsumerBreaksOutOfAwaitForeach_LeavesNoCallInFlight()
    {
        var gate = new CallGate();
        gate.Release("a");
        var engine = ThreeGated(gate);
        var received = new List<string>();

        await foreach (var update in engine.ExtractStreamingAsync(Input))
        {
            received.Add(update.ExtractorName);
            break;
        }

        Assert.Equal(["a"], received);
        Assert.Equal(0, gate.InFlight);
        Assert.Equal(gate.Started.Except(["a"]).Order(), gate.Canceled.Order());
    }

    [Fact]
    public async Task DisposeAsync_AfterFirstUpdate_CancelsTheRestAndLeavesNothingInFlight()
    {
        var gate = new CallGate();
        var engine = ThreeGated(gate);

        var enumerator = engine.ExtractStreamingAsync(Input).GetAsyncEnumerator();
        var next = enumerator.MoveNextAsync();
        await gate.Started("b");
        await gate.Started("c");
        gate.Release("a");
        Assert.True(await next.AsTask().WaitAsync(Guard));
        Assert.Equal("a", enumerator.Current.ExtractorName);
        Assert.Equal(2, gate.InFlight);

        await enumerator.DisposeAsync().AsTask().WaitAsync(Guard); // what breaking out of await foreach does

        Assert.Equal(0, gate.InFlight);
        Assert.Equal(["b", "c"], gate.Canceled.Order());
    }

    [Fact]
    public async Task StopWhen_ConditionMet_YieldsThatUpdateThenEndsNormallyAndCancelsTheRest()
    {
        var gate = new CallGate();
        var engine = ThreeGated(gate);
        var options = new ExtractionRunOptions { StopWhen = u => u.ExtractorName == "b" };

        await using var updates = engine.ExtractStreamingAsync(Input, options).GetAsyncEnumerator();
        var next = updates.MoveNextAsync();
        await gate.Started("a");
        await gate.Started("c");
        gate.Release("b");
        Assert.True(await next.AsTask().WaitAsync(Guard));
        Assert.Equal("b", updates.Current.ExtractorName);

        await updates.EndAsync();
        Assert.Equal(0, gate.InFlight);
        Assert.Equal(["a", "c"], gate.Canceled.Order());
    }

    [Fact]
    public async Task StopWhen_InATieredBatch_TruncatesTheBatchAfterTheMatchingUpdate()
    {
        var engine = new ExtractionEngine([Reg(new SyncExtractor("a")), Reg(new SyncExtractor("b")), Reg(new SyncExtractor("c"), o => o.Tier = 1)]);
        var options = new ExtractionRunOptions { Mode = ExtractionMode.Tiered, StopWhen = _ => true };

        var batches = await engine.ExtractBatchesStreamingAsync(Input, options).ToListAsync();

        Assert.Single(Assert.Single(batches));
    }

    [Fact]
    public async Task RunAsync_MethodTokenCanceled_EndsWithOperationCanceledExceptionAndCancelsEveryCall()
    {
        var gate = new CallGate();
        var engine = ThreeGated(gate);
        using var cts = new CancellationTokenSource();

        await using var updates = engine.ExtractStreamingAsync(Input, cancellationToken: cts.Token).GetAsyncEnumerator();
        var next = updates.MoveNextAsync();
        await gate.Started("b");
        await gate.Started("c");
        gate.Release("a");
        Assert.True(await next.AsTask().WaitAsync(Guard));

        var pending = updates.MoveNextAsync().AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(Guard));
        Assert.Equal(0, gate.InFlight);
        Assert.Equal(["b", "c"], gate.Canceled.Order());
    }

    [Fact]
    public async Task RunAsync_WithCancellationTokenCanceled_EndsWithOperationCanceledExceptionAndCancelsEveryCall()
    {
        var gate = new CallGate();
        var engine = ThreeGated(gate);
        using var cts = new CancellationTokenSource();

        // The token WithCancellation passes on: GetAsyncEnumerator's, which the iterator receives through [EnumeratorCancellation].
        await using var updates = engine.ExtractStreamingAsync(Input).GetAsyncEnumerator(cts.Token);
        var next = updates.MoveNextAsync();
        await gate.Started("b");
        await gate.Started("c");
        gate.Release("a");
        Assert.True(await next.AsTask().WaitAsync(Guard));

        var pending = updates.MoveNextAsync().AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(Guard));
        Assert.Equal(0, gate.InFlight);
        Assert.Equal(["b", "c"], gate.Canceled.Order());
    }

    [Fact]
    public async Task RunAsync_TokenCanceledWhileUpdatesAreQueued_ThrowsInsteadOfEndingNormally()
    {
        var engine = new ExtractionEngine([Reg(new SyncExtractor("a")), Reg(new SyncExtractor("b"))], defaultRunOptions: new() { Mode = ExtractionMode.Tiered });
        using var cts = new CancellationTokenSource();

        var received = new List<string>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in engine.ExtractStreamingAsync(Input, cancellationToken: cts.Token))
            {
                received.Add(update.ExtractorName);
                await cts.CancelAsync();
            }
        });

        Assert.Single(received);
    }

    [Fact]
    public async Task RunAsync_TokenAlreadyCanceled_ThrowsWithoutCallingAnyExtractor()
    {
        var gate = new CallGate();
        var engine = ThreeGated(gate);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.ExtractStreamingAsync(Input, cancellationToken: new CancellationToken(canceled: true)).ToListAsync());
        Assert.Empty(gate.Started);
    }

    [Fact]
    public async Task ExtractBatchesStreamingAsync_TokenCanceled_EndsWithOperationCanceledException()
    {
        var gate = new CallGate();
        var engine = ThreeGated(gate);
        using var cts = new CancellationTokenSource();

        await using var batches = engine.ExtractBatchesStreamingAsync(Input, cancellationToken: cts.Token).GetAsyncEnumerator();
        var next = batches.MoveNextAsync().AsTask();
        await gate.Started("c");
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(Guard));
        Assert.Equal(0, gate.InFlight);
        Assert.Equal(["a", "b", "c"], gate.Canceled.Order());
    }

    [Fact]
    public async Task AwaitForeachWithCancellation_TokenCanceled_ThrowsOperationCanceledException()
    {
        var gate = new CallGate();
        gate.Release("a");
        var engine = ThreeGated(gate);
        using var cts = new CancellationTokenSource();
        var received = new List<string>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in engine.ExtractStreamingAsync(Input).WithCancellation(cts.Token))
            {
                received.Add(update.ExtractorName);
                await cts.CancelAsync();
            }
        }).WaitAsync(Guard);

        Assert.Equal(["a"], received);
        Assert.Equal(0, gate.InFlight);
    }
}
