namespace StreamingBeam.Concurrency;

/// <summary>One provider kind's shared answer to "rate limited": when any call is refused, every call of that kind, in
/// every search or run of the engine, waits until the provider said it would accept again, and then calls go out one by
/// one at the pace the provider has shown it accepts, oldest first.</summary>
/// <remarks>
/// <para>
/// <b>Why a pace and not only a pause.</b> Calls that waited out a pause together would all go out together when it
/// ends, and all but the first would be refused again: N lanes backing off on their own hammer the quota exactly as N
/// independent retries do. So after a refusal the cooldown admits one waiting call at a time, spaced by the interval at
/// which the provider hands out permits.
/// </para>
/// <para>
/// <b>How the pace is learned.</b> A refusal says when the provider's next permit comes (<c>Retry-After</c>): the
/// refused call's time plus that delay. Between two refusals the provider accepted the calls admitted since the first
/// permit time, so its interval is the time between the two permit times divided by those calls. The first refusal only
/// gives a pause (its delay is an estimate of the interval, used until the second refusal measures it). Each call that
/// then completes without a refusal shortens the pace by 2 %, so a pace learned during a short outage does not outlive
/// it; when the pace falls below the provider's real interval the next refusal measures it again. Concurrency is not
/// adapted: quotas are rates, and a rate is what is learned.
/// </para>
/// <para>
/// All state is under one lock; waiters are granted in arrival order by a timer on the engine's
/// <see cref="TimeProvider"/> (so tests drive it with a fake clock). A canceled waiter leaves the queue at once.
/// </para>
/// </remarks>
internal sealed class ProviderCooldown : IDisposable
{
    /// <summary>What each call that completes without a refusal multiplies the pace by.</summary>
    private const double PaceDecay = 0.98;

    private readonly TimeProvider _time;
    private readonly object _lock = new();
    private readonly LinkedList<Waiter> _waiters = new();

    /// <summary>Created on the first wait, so that an engine whose providers never refuse has no timer.</summary>
    private ITimer? _timer;

    /// <summary>No call is admitted before this timestamp (of <see cref="_time"/>).</summary>
    private long _pausedUntil;

    /// <summary>The earliest timestamp of the next admission when pacing.</summary>
    private long _nextAdmission;

    /// <summary>The interval between admissions, in timestamp ticks; zero while no refusal was seen.</summary>
    private double _pace;

    /// <summary>The permit time the last refusal announced, or <see langword="null"/> before the first.</summary>
    private long? _lastPermitAt;

    /// <summary>Calls admitted at or after <see cref="_lastPermitAt"/>.</summary>
    private int _admittedSincePermit;

    private bool _disposed;

    public ProviderCooldown(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>Gets the number of calls waiting.</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>Gets the current interval between admissions, or zero when calls are not paced.</summary>
    public TimeSpan Pace
    {
        get
        {
            lock (_lock)
            {
                return TicksToTimeSpan(_pace);
            }
        }
    }

    /// <summary>Gets how many refusals were reported.</summary>
    public int Refusals { get; private set; }

    /// <summary>Waits until a call may go out, and returns the timestamp it was admitted at (to hand back to
    /// <see cref="OnRateLimited"/> if the call is refused).</summary>
    public ValueTask<long> WaitAsync(CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            if (_waiters.Count == 0 && now >= _pausedUntil && now >= _nextAdmission)
            {
                Admit(now);
                return new ValueTask<long>(now);
            }

            cancellationToken.ThrowIfCancellationRequested();
            waiter = new Waiter();
            waiter.Node = _waiters.AddLast(waiter);
            ScheduleLocked(now);
        }

        return new ValueTask<long>(cancellationToken.CanBeCanceled ? WaitCancelableAsync(waiter, cancellationToken) : waiter.Task);
    }

    /// <summary>Reports a refused call: pauses every call until the provider's next permit, and learns the pace.</summary>
    /// <param name="admittedAt">The timestamp <see cref="WaitAsync"/> returned for the refused call.</param>
    /// <param name="retryAfter">How long the provider asked to wait.</param>
    public void OnRateLimited(long admittedAt, TimeSpan retryAfter)
    {
        lock (_lock)
        {
            Refusals++;
            var now = _time.GetTimestamp();
            var permitAt = now + TimeSpanToTicks(retryAfter);
            if (_lastPermitAt is { } previous && admittedAt >= previous)
            {
                // The refused call was counted among the admissions since the last permit time; the others were accepted.
                var accepted = _admittedSincePermit - 1;
                if (accepted >= 1 && permitAt > previous)
                {
                    _pace = (double)(permitAt - previous) / accepted;
                }
                else if (accepted == 0)
                {
                    // Even the call admitted at the announced permit time was refused: someone else shares the quota,
                    // or the provider's clock differs. Slow down rather than probe again at the same pace.
                    _pace = Math.Max(_pace * 2, TimeSpanToTicks(retryAfter));
                }
            }
            else if (_pace == 0)
            {
                _pace = TimeSpanToTicks(retryAfter);
            }

            if (permitAt >= (_lastPermitAt ?? long.MinValue))
            {
                _lastPermitAt = permitAt;
                _admittedSincePermit = 0;
            }

            _pausedUntil = Math.Max(_pausedUntil, permitAt);
            _nextAdmission = Math.Max(_nextAdmission, permitAt);
            ScheduleLocked(now);
        }
    }

    /// <summary>Reports a call that completed without a refusal: the pace shortens a little.</summary>
    public void OnAccepted()
    {
        lock (_lock)
        {
            if (_pace == 0)
            {
                return;
            }

            _pace *= PaceDecay;
            if (_pace < TimeSpanToTicks(TimeSpan.FromMilliseconds(1)))
            {
                _pace = 0;
            }
        }
    }

    public void Dispose()
    {
        ITimer? timer;
        lock (_lock)
        {
            _disposed = true;
            timer = _timer;
        }

        timer?.Dispose();
    }

    private void Admit(long now)
    {
        if (_lastPermitAt is { } permitAt && now >= permitAt)
        {
            _admittedSincePermit++;
        }

        if (_pace > 0)
        {
            _nextAdmission = now + (long)_pace;
        }
    }

    private void OnTimer()
    {
        List<Waiter>? granted = null;
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            if (_waiters.First is { } first && now >= _pausedUntil && now >= _nextAdmission)
            {
                _waiters.Remove(first);
                first.Value.Node = null;
                Admit(now);
                (granted ??= []).Add(first.Value);

                // Without a pace (a plain pause) everyone who waited may go now, in order.
                while (_pace == 0 && _waiters.First is { } next)
                {
                    _waiters.Remove(next);
                    next.Value.Node = null;
                    Admit(now);
                    granted.Add(next.Value);
                }
            }

            ScheduleLocked(now);
        }

        if (granted is not null)
        {
            var now = _time.GetTimestamp();
            foreach (var waiter in granted)
            {
                waiter.TrySetResult(now);
            }
        }
    }

    private void ScheduleLocked(long now)
    {
        if (_disposed || _waiters.Count == 0)
        {
            return;
        }

        var due = Math.Max(Math.Max(_pausedUntil, _nextAdmission) - now, 0);
        _timer ??= _time.CreateTimer(static state => ((ProviderCooldown)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timer.Change(TicksToTimeSpan(due), Timeout.InfiniteTimeSpan);
    }

    private async Task<long> WaitCancelableAsync(Waiter waiter, CancellationToken cancellationToken)
    {
        var registration = cancellationToken.UnsafeRegister(
            static (state, token) =>
            {
                var (cooldown, waiter) = ((ProviderCooldown, Waiter))state!;
                cooldown.Cancel(waiter, token);
            },
            (this, waiter));
        await using (registration.ConfigureAwait(false))
        {
            return await waiter.Task.ConfigureAwait(false);
        }
    }

    private void Cancel(Waiter waiter, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (waiter.Node is not { } node)
            {
                return;
            }

            _waiters.Remove(node);
            waiter.Node = null;
        }

        waiter.TrySetCanceled(cancellationToken);
    }

    private long TimeSpanToTicks(TimeSpan value) => (long)(value.Ticks * (_time.TimestampFrequency / (double)TimeSpan.TicksPerSecond));

    private TimeSpan TicksToTimeSpan(double ticks) => TimeSpan.FromTicks((long)(ticks * TimeSpan.TicksPerSecond / _time.TimestampFrequency));

    private sealed class Waiter() : TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        /// <summary>Gets or sets the waiter's place in the queue, or <see langword="null"/> once it left it. Under the lock only.</summary>
        public LinkedListNode<Waiter>? Node { get; set; }
    }
}
