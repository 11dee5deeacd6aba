using StreamingBeam.Benchmarks.Timing;

namespace StreamingBeam.Benchmarks.Tests;

public class PreciseTimeProviderTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task CreateTimer_DueTimeElapses_InvokesTheCallbackWithItsState()
    {
        using var clock = new PreciseTimeProvider();
        var fired = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var state = new object();

        using var timer = clock.CreateTimer(s => fired.TrySetResult(s), state, TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);

        Assert.Same(state, await fired.Task.WaitAsync(Patience));
    }

    [Fact]
    public async Task Delay_OnThePreciseClock_Completes()
    {
        using var clock = new PreciseTimeProvider();

        var delay = Task.Delay(TimeSpan.FromMilliseconds(2), clock);

        await delay.WaitAsync(Patience);
        Assert.True(delay.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task CreateTimer_WithAPeriod_FiresRepeatedly()
    {
        using var clock = new PreciseTimeProvider();
        var count = 0;
        var thirdTick = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        using var timer = clock.CreateTimer(
            _ =>
            {
                if (Interlocked.Increment(ref count) == 3)
                {
                    thirdTick.TrySetResult();
                }
            },
            null, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1));

        await thirdTick.Task.WaitAsync(Patience);
        Assert.True(Volatile.Read(ref count) >= 3);
    }

    [Fact]
    public void Change_AfterDispose_ReturnsFalse()
    {
        using var clock = new PreciseTimeProvider();
        var timer = clock.CreateTimer(_ => { }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        timer.Dispose();

        Assert.False(timer.Change(TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan));
    }
}
