using StreamingBeam.Concurrency;

namespace StreamingBeam.Tests.Faults;

/// <summary>Issue #15 item 8: a canceled limiter waiter leaves the queue when it is canceled, and no slot is ever
/// lost, even when a cancellation races a release.</summary>
public class AsyncLimiterFaultTests
{
    [Fact]
    public async Task WaitAsync_ManyQueuedWaitsCanceled_LeaveTheQueueWithoutARelease()
    {
        const int waits = 3000;
        var limiter = new AsyncLimiter(1);
        await limiter.WaitAsync(CancellationToken.None);
        var sources = Enumerable.Range(0, waits).Select(_ => new CancellationTokenSource()).ToArray();
        var pending = sources.Select(s => limiter.WaitAsync(s.Token)).ToArray();
        Assert.Equal(waits, limiter.QueueLength);

        foreach (var source in sources)
        {
            await source.CancelAsync();
        }

        // No release happened: the slot is still held, and nothing canceled is kept.
        Assert.Equal(0, limiter.QueueLength);
        Assert.Equal(0, limiter.Waiting);
        Assert.Equal(1, limiter.InUse);
        foreach (var wait in pending)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        }

        limiter.Release();
        Assert.Equal(0, limiter.InUse);
        foreach (var source in sources)
        {
            source.Dispose();
        }
    }

    [Fact]
    public async Task WaitAsync_CanceledWaitersBetweenOthers_TheRestAreAdmittedInOrder()
    {
        var limiter = new AsyncLimiter(1);
        await limiter.WaitAsync(CancellationToken.None);
        using var second = new CancellationTokenSource();
        using var fourth = new CancellationTokenSource();
        var first = limiter.WaitAsync(CancellationToken.None);
        var secondWait = limiter.WaitAsync(second.Token);
        var third = limiter.WaitAsync(CancellationToken.None);
        var fourthWait = limiter.WaitAsync(fourth.Token);
        var fifth = limiter.WaitAsync(CancellationToken.None);

        await second.CancelAsync();
        await fourth.CancelAsync();
        Assert.Equal(3, limiter.QueueLength);

        limiter.Release();
        await first;
        Assert.False(third.IsCompleted);
        limiter.Release();
        await third;
        Assert.False(fifth.IsCompleted);
        limiter.Release();
        await fifth;
        Assert.Equal(1, limiter.InUse);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => secondWait);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fourthWait);
    }

    [Fact]
    public async Task WaitAsync_CancellationRacesARelease_TheSlotIsNeverLost()
    {
        // Whichever wins, exactly one of "the waiter got the slot" and "the slot went back" happens.
        var limiter = new AsyncLimiter(1);
        for (var i = 0; i < 2000; i++)
        {
            await limiter.WaitAsync(CancellationToken.None);
            using var source = new CancellationTokenSource();
            var wait = limiter.WaitAsync(source.Token);
            using var start = new Barrier(2);
            var release = Task.Run(() =>
            {
                start.SignalAndWait();
                limiter.Release();
            });
            var cancel = Task.Run(() =>
            {
                start.SignalAndWait();
                source.Cancel();
            });
            await Task.WhenAll(release, cancel);

            try
            {
                await wait;
                Assert.Equal(1, limiter.InUse);
                limiter.Release();
            }
            catch (OperationCanceledException)
            {
                // Canceled first: the release must have returned the slot.
            }

            Assert.Equal(0, limiter.InUse);
            Assert.Equal(0, limiter.QueueLength);
        }
    }
}
