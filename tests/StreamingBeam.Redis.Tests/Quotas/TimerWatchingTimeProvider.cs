using Microsoft.Extensions.Time.Testing;

namespace StreamingBeam.Redis.Tests.Quotas;

/// <summary>A fake clock that tells the test when the code under test has started waiting on it: it counts the timers
/// due at least <see cref="LongTimer"/> away (a call waiting for the next quota window; the engine's other timers are
/// shorter), so the test moves the clock only once every waiting call is waiting on it.</summary>
internal sealed class TimerWatchingTimeProvider : FakeTimeProvider
{
    public static readonly TimeSpan LongTimer = TimeSpan.FromMinutes(10);

    public CountSignal LongTimers { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime >= LongTimer && dueTime != Timeout.InfiniteTimeSpan)
        {
            LongTimers.Increment();
        }

        return timer;
    }
}

/// <summary>A count a test can wait for, without polling.</summary>
internal sealed class CountSignal
{
    /// <summary>Only bounds a test that is already failing (the count never comes); no assertion reads the time.</summary>
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);

    private readonly object _lock = new();
    private readonly List<(int Target, TaskCompletionSource Reached)> _waiters = [];
    private int _count;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    public void Increment()
    {
        lock (_lock)
        {
            _count++;
            foreach (var waiter in _waiters.Where(w => w.Target <= _count).ToList())
            {
                waiter.Reached.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    public async Task WaitForAsync(int target, string what)
    {
        Task reached;
        lock (_lock)
        {
            if (_count >= target)
            {
                return;
            }

            var waiter = (target, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            _waiters.Add(waiter);
            reached = waiter.Item2.Task;
        }

        try
        {
            await reached.WaitAsync(GiveUpAfter);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"Expected {target} {what}; only {Count} came.");
        }
    }
}
