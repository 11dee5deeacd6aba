using Microsoft.Extensions.Time.Testing;
using StreamingBeam.Testing;
using static StreamingBeam.Tests.Extraction.ExtractionTestKit;

namespace StreamingBeam.Tests.Extraction;

public class ExtractionEngineCoalescingTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task ExtractBatchesStreamingAsync_Coalescing_FirstUpdateIsNotDelayedAndLaterOnesAreGroupedWithinTheWindow()
    {
        var time = new FakeTimeProvider();
        var gate = new CallGate();
        var b = new InlineExtractor("b");
        var c = new InlineExtractor("c");
        var engine = new ExtractionEngine([Reg(new GatedExtractor("a", gate)), Reg(b), Reg(c), Reg(new GatedExtractor("d", gate))], timeProvider: time);

        await using var batches = engine.ExtractBatchesStreamingAsync(Input, new ExtractionRunOptions { CoalesceWindow = Window }).GetAsyncEnumerator();
        var next = batches.MoveNextAsync().AsTask();
        await gate.Started("a");
        await b.Started;
        await c.Started;
        gate.Release("a");
        Assert.True(await next.WaitAsync(Guard)); // the clock never moved: the first update waited for nothing
        Assert.Equal(["a"], batches.Current.Select(u => u.ExtractorName));

        b.Complete(); // recorded before Complete returns
        next = batches.MoveNextAsync().AsTask();
        Assert.False(next.IsCompleted); // "b" is held for the window
        c.Complete(); // arrives within the window
        time.Advance(Window);
        Assert.True(await next.WaitAsync(Guard));
        Assert.Equal(["b", "c"], batches.Current.Select(u => u.ExtractorName));

        // The run's last update ends the window early: no clock movement needed.
        next = batches.MoveNextAsync().AsTask();
        gate.Release("d");
        Assert.True(await next.WaitAsync(Guard));
        var last = Assert.Single(batches.Current);
        Assert.True(last.IsFinal);
        await batches.EndAsync();
    }

    [Fact]
    public async Task ExtractBatchesStreamingAsync_Coalescing_UpdateAfterAQuietWindowIsNotDelayed()
    {
        var time = new FakeTimeProvider();
        var a = new InlineExtractor("a");
        var b = new InlineExtractor("b");
        var engine = new ExtractionEngine([Reg(a), Reg(b), Reg(new InlineExtractor("never"))], timeProvider: time);

        await using var batches = engine.ExtractBatchesStreamingAsync(Input, new ExtractionRunOptions { CoalesceWindow = Window }).GetAsyncEnumerator();
        var next = batches.MoveNextAsync().AsTask();
        await a.Started;
        await b.Started;
        a.Complete();
        Assert.True(await next.WaitAsync(Guard));

        time.Advance(Window);
        b.Complete();
        next = batches.MoveNextAsync().AsTask();
        Assert.True(next.IsCompleted); // delivered at once: the previous delivery was a full window ago
        Assert.True(await next);
        Assert.Equal(["b"], batches.Current.Select(u => u.ExtractorName));
    }

    [Fact]
    public async Task RunAsync_Coalescing_YieldsTheBatchesUpdatesOneByOne()
    {
        var engine = new ExtractionEngine([Reg(new SyncExtractor("a")), Reg(new SyncExtractor("b")), Reg(new SyncExtractor("c"))], timeProvider: new FakeTimeProvider());

        var updates = await engine.ExtractStreamingAsync(Input, new ExtractionRunOptions { CoalesceWindow = Window }).ToListAsync().WaitAsync(Guard);

        Assert.Equal([1, 2, 3], updates.Select(u => u.Completed));
        Assert.True(updates[^1].IsFinal);
    }
}
