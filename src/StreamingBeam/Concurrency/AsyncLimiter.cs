namespace StreamingBeam.Concurrency;

/// <summary>Limits how many operations run at once, admitting waiters strictly first come, first served.</summary>
/// <remarks>
/// <para>
/// <see cref="SemaphoreSlim"/> does not document the order in which it admits waiters, and the spec promises
/// callers a fair queue per provider, so the order is made explicit here.
/// </para>
/// <para>
/// A canceled waiter leaves the queue the moment its token is canceled, not at the next release: an engine whose
/// slots are all held for a long time (a slow image model) would otherwise keep every canceled search's waiter in
/// memory until a slot frees. Granting and canceling both happen under the one lock, so a cancellation racing a
/// release either removes the waiter first (the slot goes to the next waiter) or finds it already granted (the
/// waiter owns the slot and its wait succeeds); a slot is never lost.
/// </para>
/// </remarks>
internal sealed class AsyncLimiter
{
    private readonly object _lock = new();
    private readonly FifoWaiters<bool> _waiters;
    private int _available;

    public AsyncLimiter(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        Limit = limit;
        _available = limit;
        _waiters = new FifoWaiters<bool>(_lock);
    }

    public int Limit { get; }

    /// <summary>Gets the number of slots in use.</summary>
    public int InUse
    {
        get
        {
            lock (_lock)
            {
                return Limit - _available;
            }
        }
    }

    /// <summary>Gets the number of waiters queued. A canceled waiter is never counted: it left the queue when its
    /// token was canceled.</summary>
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

    /// <summary>Gets the number of entries the queue holds, which is what it keeps in memory. Equal to
    /// <see cref="Waiting"/>: kept apart so that a test can tell a queue that forgets canceled waiters from one
    /// that merely stops counting them.</summary>
    internal int QueueLength
    {
        get
        {
            lock (_lock)
            {
                return _waiters.Count;
            }
        }
    }

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        FifoWaiters<bool>.Waiter waiter;
        lock (_lock)
        {
            if (_available > 0 && _waiters.Count == 0)
            {
                _available--;
                return Task.CompletedTask;
            }

            cancellationToken.ThrowIfCancellationRequested();
            waiter = _waiters.Enqueue();
        }

        return _waiters.WaitAsync(waiter, cancellationToken);
    }

    public void Release()
    {
        lock (_lock)
        {
            // Hand the slot straight to the oldest waiter: canceled waiters are no longer in the queue.
            if (_waiters.TryDequeue(out var first))
            {
                first.TrySetResult(true);
                return;
            }

            _available++;
        }
    }
}
