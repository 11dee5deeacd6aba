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
/// permit time, so its interval is the time between the two permit times divided by those calls. Each call that then
/// completes without a refusal shortens a measured pace by 2 %, so a pace learned during a short outage does not outlive
/// it; when the pace falls below the provider's real interval the next refusal measures it again. Concurrency is not
/// adapted: quotas are rates, and a rate is what is learned.
/// </para>
/// <para>
/// <b>One refusal is a pause, not a rate.</b> The first refusal's delay is only an estimate of the interval, used until
/// a second refusal measures it, and each call that completes without a refusal halves it. The delay is often far
/// longer than the interval: <c>Retry-After</c> is stated in whole seconds (a quota of 10 a second answers "1"), and a
/// fixed window's delay runs to the window's end. Kept as the pace and shortened by 2 % a call, such a delay held a
/// quota of 10 images a second to about 2 a second for half a minute, and no refusal ever came to correct it
/// (docs/benchmarks.md, "Rate-limited image quota").
/// </para>
/// <para>
/// All state is under one lock; waiters are granted in arrival order by a timer on the engine's
/// <see cref="TimeProvider"/> (so tests drive it with a fake clock). A canceled waiter leaves the queue at once.
/// </para>
/// </remarks>
internal sealed class ProviderCooldown : IDisposable
{
    /// <summary>What each call that completes without a refusal multiplies a measured pace by.</summary>
    private const double PaceDecay = 0.98;

    /// <summary>What each call that completes without a refusal multiplies an estimated pace by (one refusal's delay,
    /// not yet measured by a second refusal).</summary>
    private const double EstimateDecay = 0.5;

    private readonly TimeProvider _time;
    private readonly object _lock = new();
    private readonly FifoWaiters<long> _waiters;

    /// <summary>Created on the first wait, so that an engine whose providers never refuse has no timer.</summary>
    private ITimer? _timer;

    /// <summary>No call is admitted before this timestamp (of <see cref="_time"/>).</summary>
    private long _pausedUntil;

    /// <summary>The earliest timestamp of the next admission when pacing.</summary>
    private long _nextAdmission;

    /// <summary>The interval between admissions, in timestamp ticks; zero while no refusal was seen.</summary>
    private double _pace;

    /// <summary>Whether <see cref="_pace"/> was measured between two refusals, rather than estimated from one.</summary>
    private bool _measured;

    /// <summary>The permit time the last refusal announced, or <see langword="null"/> before the first.</summary>
    private long? _lastPermitAt;

    /// <summary>Calls admitted at or after <see cref="_lastPermitAt"/>.</summary>
    private int _admittedSincePermit;

    private bool _disposed;

    public ProviderCooldown(TimeProvider time)
    {
        _time = time;
        _waiters = new FifoWaiters<long>(_lock);
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
        FifoWaiters<long>.Waiter waiter;
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            if (_waiters.Count == 0 && now >= _pausedUntil && now >= _nextAdmission)
            {
                Admit(now);
                return new ValueTask<long>(now);
            }

            cancellationToken.ThrowIfCancellationRequested();
            waiter = _waiters.Enqueue();
            ScheduleLocked(now);
        }

        return new ValueTask<long>(_waiters.WaitAsync(waiter, cancellationToken));
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
                    _measured = true;
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
                _measured = false;
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

            _pace *= _measured ? PaceDecay : EstimateDecay;
            if (_pace < TimeSpanToTicks(TimeSpan.FromMilliseconds(1)))
            {
                _pace = 0;
                _measured = false;
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
        List<FifoWaiters<long>.Waiter>? granted = null;
        long now;
        lock (_lock)
        {
            now = _time.GetTimestamp();
            if (now >= _pausedUntil && now >= _nextAdmission && _waiters.TryDequeue(out var first))
            {
                Admit(now);
                (granted ??= []).Add(first);

                // Without a pace (a plain pause) everyone who waited may go now, in order.
                while (_pace == 0 && _waiters.TryDequeue(out var next))
                {
                    Admit(now);
                    granted.Add(next);
                }
            }

            ScheduleLocked(now);
        }

        // Completed outside the lock, with the time each was admitted at.
        foreach (var waiter in granted ?? [])
        {
            waiter.TrySetResult(now);
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

    private long TimeSpanToTicks(TimeSpan value) => (long)(value.Ticks * (_time.TimestampFrequency / (double)TimeSpan.TicksPerSecond));

    private TimeSpan TicksToTimeSpan(double ticks) => TimeSpan.FromTicks((long)(ticks * TimeSpan.TicksPerSecond / _time.TimestampFrequency));
}
