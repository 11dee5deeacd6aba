namespace StreamingBeam.Tests.Support;

/// <summary>Consumes an async stream in the background and lets a test wait until a given item has been yielded.</summary>
/// <remarks>
/// Waits are bounded by a generous safety limit only so that a broken engine fails the test instead of hanging the
/// run; no test asserts on how long anything took.
/// </remarks>
internal sealed class StreamRecorder<T>
{
    private static readonly TimeSpan SafetyLimit = TimeSpan.FromSeconds(30);
    private readonly List<T> _items = [];
    private readonly List<(Func<T, bool> Match, TaskCompletionSource<T> Found)> _waiters = [];
    private readonly object _lock = new();

    private StreamRecorder(IAsyncEnumerable<T> source, CancellationToken cancellationToken) =>
        Completion = ConsumeAsync(source, cancellationToken);

    /// <summary>Gets a task that completes when the stream ends, faulted or canceled as the stream ended.</summary>
    public Task Completion { get; }

    public IReadOnlyList<T> Items
    {
        get
        {
            lock (_lock)
            {
                return _items.ToArray();
            }
        }
    }

    public static StreamRecorder<T> Start(IAsyncEnumerable<T> source, CancellationToken cancellationToken = default) =>
        new(source, cancellationToken);

    public Task<T> WaitForAsync(Func<T, bool> match)
    {
        lock (_lock)
        {
            foreach (var item in _items)
            {
                if (match(item))
                {
                    return Task.FromResult(item);
                }
            }

            var found = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, found));
            return found.Task.WaitAsync(SafetyLimit);
        }
    }

    public async Task<TItem> WaitForAsync<TItem>(Func<TItem, bool>? match = null)
        where TItem : T =>
        (TItem)(await WaitForAsync(item => item is TItem typed && (match is null || match(typed)))!)!;

    public async Task<IReadOnlyList<T>> ToEndAsync()
    {
        await Completion.WaitAsync(SafetyLimit);
        return Items;
    }

    private async Task ConsumeAsync(IAsyncEnumerable<T> source, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await foreach (var item in source.WithCancellation(cancellationToken))
            {
                lock (_lock)
                {
                    _items.Add(item);
                    for (var i = _waiters.Count - 1; i >= 0; i--)
                    {
                        if (_waiters[i].Match(item))
                        {
                            _waiters[i].Found.TrySetResult(item);
                            _waiters.RemoveAt(i);
                        }
                    }
                }
            }
        }
        finally
        {
            lock (_lock)
            {
                foreach (var waiter in _waiters)
                {
                    waiter.Found.TrySetException(new InvalidOperationException("The stream ended before the awaited item was yielded."));
                }

                _waiters.Clear();
            }
        }
    }
}
