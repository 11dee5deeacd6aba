using System.Diagnostics;

namespace StreamingBeam.Benchmarks.Timing;

/// <summary>A clock whose timers fire within tens of microseconds of their due time, for simulated provider latencies.</summary>
/// <remarks>
/// <para>
/// On Linux, .NET's timers (and so <see cref="Task.Delay(TimeSpan, TimeProvider, CancellationToken)"/> on
/// <see cref="TimeProvider.System"/>) are due on a coarse monotonic clock that advances once per kernel tick: 4 ms on this
/// machine's kernel (250 Hz). A 10 ms delay then ends anywhere from about 7 to 15 ms after it started, which drowns the
/// sub-millisecond costs the extraction benchmark wants to see. This provider keeps its own timer thread on the
/// high-resolution clock: it sleeps until about a millisecond before the next due time, spins the rest, and hands each
/// callback to the thread pool, as system timers do.
/// </para>
/// <para>It is for benchmarks only: the spinning costs up to a millisecond of one core per timer.</para>
/// </remarks>
internal sealed class PreciseTimeProvider : TimeProvider, IDisposable
{
    private static readonly long SpinTicks = Stopwatch.Frequency / 1000 * 2; // spin the last 2 ms

    private readonly object _lock = new();
    private readonly PriorityQueue<PreciseTimer, long> _due = new();
    private readonly Thread _thread;
    private bool _disposed;

    public PreciseTimeProvider()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "PreciseTimeProvider", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new PreciseTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            Monitor.PulseAll(_lock);
        }

        _thread.Join();
    }

    private void Schedule(PreciseTimer timer, long dueTimestamp)
    {
        lock (_lock)
        {
            _due.Enqueue(timer, dueTimestamp);
            Monitor.PulseAll(_lock);
        }
    }

    private void Run()
    {
        while (true)
        {
            PreciseTimer? fire = null;
            lock (_lock)
            {
                while (!_disposed && fire is null)
                {
                    if (!_due.TryPeek(out var timer, out var due))
                    {
                        Monitor.Wait(_lock);
                        continue;
                    }

                    if (!timer.IsDueAt(due))
                    {
                        _due.Dequeue(); // changed or disposed since it was scheduled
                        continue;
                    }

                    var remaining = due - Stopwatch.GetTimestamp();
                    if (remaining <= 0)
                    {
                        _due.Dequeue();
                        fire = timer;
                    }
                    else if (remaining > SpinTicks)
                    {
                        // Whole milliseconds, at least one: the last SpinTicks before the due time are spun anyway.
                        var milliseconds = (remaining - SpinTicks) * 1000 / Stopwatch.Frequency;
                        Monitor.Wait(_lock, (int)Math.Clamp(milliseconds, 1, int.MaxValue));
                    }
                    else
                    {
                        // Close to due: spin outside the lock so that new timers can still be scheduled.
                        break;
                    }
                }

                if (_disposed)
                {
                    return;
                }
            }

            if (fire is null)
            {
                Thread.SpinWait(50);
                continue;
            }

            fire.Fire();
        }
    }

    private sealed class PreciseTimer(PreciseTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private readonly object _gate = new();
        private long _dueTimestamp = -1;
        private TimeSpan _period = Timeout.InfiniteTimeSpan;
        private bool _disposed;

        public bool IsDueAt(long timestamp)
        {
            lock (_gate)
            {
                return !_disposed && _dueTimestamp == timestamp;
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            long due;
            lock (_gate)
            {
                if (_disposed)
                {
                    return false;
                }

                _period = period;
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    _dueTimestamp = -1;
                    return true;
                }

                due = Stopwatch.GetTimestamp() + (long)(dueTime.TotalSeconds * Stopwatch.Frequency);
                _dueTimestamp = due;
            }

            owner.Schedule(this, due);
            return true;
        }

        public void Fire()
        {
            long next = -1;
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                _dueTimestamp = -1;
                if (_period != Timeout.InfiniteTimeSpan && _period > TimeSpan.Zero)
                {
                    next = Stopwatch.GetTimestamp() + (long)(_period.TotalSeconds * Stopwatch.Frequency);
                    _dueTimestamp = next;
                }
            }

            if (next >= 0)
            {
                owner.Schedule(this, next);
            }

            ThreadPool.UnsafeQueueUserWorkItem(static s => s.Callback(s.State), (Callback: callback, State: state), preferLocal: false);
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _disposed = true;
                _dueTimestamp = -1;
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
