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
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly object _lock = new();
    private int _available;

    public AsyncLimiter(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        Limit = limit;
        _available = limit;
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
        Waiter waiter;
        lock (_lock)
        {
            if (_available > 0 && _waiters.Count == 0)
            {
                _available--;
                return Task.CompletedTask;
            }

            cancellationToken.ThrowIfCancellationRequested();
            waiter = new Waiter();
            waiter.Node = _waiters.AddLast(waiter);
        }

        return cancellationToken.CanBeCanceled ? WaitCancelableAsync(waiter, cancellationToken) : waiter.Task;
    }

    public void Release()
    {
        lock (_lock)
        {
            // Hand the slot straight to the oldest waiter: canceled waiters are no longer in the queue.
            if (_waiters.First is { } first)
            {
                _waiters.Remove(first);
                first.Value.Node = null;
                first.Value.TrySetResult();
                return;
            }

            _available++;
        }
    }

    private async Task WaitCancelableAsync(Waiter waiter, CancellationToken cancellationToken)
    {
        // The registration may run Cancel synchronously (the token was canceled after the check above); that is
        // safe because the lock is not held here.
        var registration = cancellationToken.UnsafeRegister(
            static (state, token) =>
            {
                var (limiter, waiter) = ((AsyncLimiter, Waiter))state!;
                limiter.Cancel(waiter, token);
            },
            (this, waiter));
        await using (registration.ConfigureAwait(false))
        {
            await waiter.Task.ConfigureAwait(false);
        }
    }

    private void Cancel(Waiter waiter, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            // Already granted: the slot is the waiter's and its wait succeeds, so that the slot is released by
            // its owner rather than lost.
            if (waiter.Node is not { } node)
            {
                return;
            }

            _waiters.Remove(node);
            waiter.Node = null;
        }

        waiter.TrySetCanceled(cancellationToken);
    }

    private sealed class Waiter() : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        /// <summary>Gets or sets the waiter's place in the queue, or <see langword="null"/> once it left it
        /// (granted or canceled). Read and written under the limiter's lock only.</summary>
        public LinkedListNode<Waiter>? Node { get; set; }
    }
}
