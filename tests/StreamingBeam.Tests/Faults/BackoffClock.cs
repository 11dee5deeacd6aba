using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace StreamingBeam.Tests.Faults;

/// <summary>A <see cref="FakeTimeProvider"/> that records the due time of every timer created on it, and drives a
/// run by advancing exactly one timer's due time per timer, so backoff delays are checked without real sleeping.</summary>
internal sealed class BackoffClock : FakeTimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _dueTimes = new();
    private readonly Channel<TimeSpan> _created = Channel.CreateUnbounded<TimeSpan>();

    public IReadOnlyList<TimeSpan> DueTimes => _dueTimes.ToArray();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            _dueTimes.Enqueue(dueTime);
            _created.Writer.TryWrite(dueTime);
        }

        return timer;
    }

    /// <summary>Until <paramref name="work"/> ends: waits for the next timer, lets <paramref name="beforeAdvance"/>
    /// check the state (for example that no retry started early), then advances the clock by that timer's due time.</summary>
    public async Task<T> DriveAsync<T>(Task<T> work, Action<int>? beforeAdvance = null)
    {
        var handled = 0;
        while (true)
        {
            if (_created.Reader.TryRead(out var due))
            {
                beforeAdvance?.Invoke(handled++);
                Advance(due);
                continue;
            }

            if (work.IsCompleted)
            {
                return await work;
            }

            await Task.WhenAny(work, _created.Reader.WaitToReadAsync().AsTask()).WaitAsync(BeamFaultScenario.Guard);
        }
    }
}
