namespace StreamingBeam.Concurrency;

/// <summary>A first-come, first-served queue of waiters whose owner grants them in order, and from which a waiter leaves
/// the moment its token is canceled: the queue both <see cref="AsyncLimiter"/> and <see cref="ProviderCooldown"/> use.</summary>
/// <remarks>
/// Every member runs under the owner's lock (<see cref="Enqueue"/>, <see cref="TryDequeue"/>, <see cref="Count"/>), or
/// takes it (<see cref="WaitAsync"/>'s cancellation), so granting and canceling never race: a cancellation either removes
/// the waiter first (the grant goes to the next one) or finds it already granted (its wait succeeds, and what it was
/// granted is its owner's to give back). Nothing is lost either way.
/// </remarks>
/// <typeparam name="T">What a waiter is granted.</typeparam>
internal sealed class FifoWaiters<T>(object ownerLock)
{
    private readonly LinkedList<Waiter> _waiters = new();

    /// <summary>Gets the number of waiters queued. Under the owner's lock.</summary>
    public int Count => _waiters.Count;

    /// <summary>Queues a new waiter at the end. Under the owner's lock.</summary>
    public Waiter Enqueue()
    {
        var waiter = new Waiter();
        waiter.Node = _waiters.AddLast(waiter);
        return waiter;
    }

    /// <summary>Takes the oldest waiter out of the queue, to be granted once the owner's lock is released. Under the
    /// owner's lock.</summary>
    public bool TryDequeue(out Waiter waiter)
    {
        if (_waiters.First is not { } first)
        {
            waiter = null!;
            return false;
        }

        _waiters.Remove(first);
        first.Value.Node = null;
        waiter = first.Value;
        return true;
    }

    /// <summary>Waits for <paramref name="waiter"/> to be granted; a canceled token takes it out of the queue at once.
    /// Not under the owner's lock (the registration may cancel synchronously).</summary>
    public Task<T> WaitAsync(Waiter waiter, CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled ? WaitCancelableAsync(waiter, cancellationToken) : waiter.Task;

    private async Task<T> WaitCancelableAsync(Waiter waiter, CancellationToken cancellationToken)
    {
        var registration = cancellationToken.UnsafeRegister(
            static (state, token) =>
            {
                var (queue, waiter) = ((FifoWaiters<T>, Waiter))state!;
                queue.Cancel(waiter, token);
            },
            (this, waiter));
        await using (registration.ConfigureAwait(false))
        {
            return await waiter.Task.ConfigureAwait(false);
        }
    }

    private void Cancel(Waiter waiter, CancellationToken cancellationToken)
    {
        lock (ownerLock)
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

    /// <summary>One waiter: completed with what it was granted, or canceled.</summary>
    internal sealed class Waiter() : TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        /// <summary>Gets or sets the waiter's place in the queue, or <see langword="null"/> once it left it (granted or
        /// canceled). Under the owner's lock only.</summary>
        public LinkedListNode<Waiter>? Node { get; set; }
    }
}
