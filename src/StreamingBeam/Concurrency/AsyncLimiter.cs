namespace StreamingBeam.Concurrency;

/// <summary>Limits how many operations run at once, admitting waiters strictly first come, first served.</summary>
/// <remarks>
/// <see cref="SemaphoreSlim"/> does not document the order in which it admits waiters, and the spec promises
/// callers a fair queue per provider, so the order is made explicit here. A canceled waiter leaves the queue
/// without taking a slot.
/// </remarks>
internal sealed class AsyncLimiter
{
    private readonly Queue<TaskCompletionSource> _waiters = new();
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

    /// <summary>Gets the number of waiters still queued (canceled ones may be counted until a release skips them).</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _waiters.Count(w => !w.Task.IsCompleted);
            }
        }
    }

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_lock)
        {
            if (_available > 0 && _waiters.Count == 0)
            {
                _available--;
                return Task.CompletedTask;
            }

            cancellationToken.ThrowIfCancellationRequested();
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(waiter);
        }

        return cancellationToken.CanBeCanceled ? WaitCancelableAsync(waiter, cancellationToken) : waiter.Task;
    }

    public void Release()
    {
        lock (_lock)
        {
            // Hand the slot straight to the oldest waiter still waiting; canceled waiters are skipped.
            while (_waiters.TryDequeue(out var waiter))
            {
                if (waiter.TrySetResult())
                {
                    return;
                }
            }

            _available++;
        }
    }

    private static async Task WaitCancelableAsync(TaskCompletionSource waiter, CancellationToken cancellationToken)
    {
        using (cancellationToken.UnsafeRegister(static (state, token) => ((TaskCompletionSource)state!).TrySetCanceled(token), waiter))
        {
            await waiter.Task.ConfigureAwait(false);
        }
    }
}
