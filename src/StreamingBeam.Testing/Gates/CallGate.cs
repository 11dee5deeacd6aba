using System.Collections.Concurrent;

namespace StreamingBeam.Testing;

/// <summary>Holds provider calls until a test lets them through, so streaming order can be asserted without timing.</summary>
/// <remarks>
/// <para>
/// A fake provider calls <see cref="EnterAsync"/> with a key that names the call (for example <c>combine:3</c>)
/// and returns once the test calls <see cref="Release(string)"/> for that key, or throws once the test calls
/// <see cref="Fail"/>. The test observes calls with <see cref="WaitForStartAsync"/>, <see cref="HasStarted"/>
/// and <see cref="InFlight"/>.
/// </para>
/// <para>
/// A key may be released before its call arrives; the call then passes straight through. Each key admits one
/// call: a second call with a key already used throws <see cref="InvalidOperationException"/>, because a test
/// that cannot tell two calls apart cannot assert their order.
/// </para>
/// <para>All members are thread-safe. Continuations run asynchronously, so releasing never runs engine code on
/// the test's thread.</para>
/// </remarks>
public sealed class CallGate
{
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _startOrder = new();
    private readonly Func<string, bool>? _autoRelease;
    private int _inFlight;

    /// <summary>Initializes a new instance of the <see cref="CallGate"/> class.</summary>
    /// <param name="autoRelease">Keys for which calls pass without waiting, or <see langword="null"/> to hold every call.</param>
    public CallGate(Func<string, bool>? autoRelease = null) => _autoRelease = autoRelease;

    /// <summary>Gets the number of calls that have entered and not yet returned, thrown or been canceled.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Gets the keys of the calls that have entered, in the order they entered.</summary>
    public IReadOnlyList<string> Started => _startOrder.ToArray();

    /// <summary>Gets the keys of the calls that ended because their token was canceled.</summary>
    public IReadOnlyList<string> Canceled => _slots.Where(s => s.Value.WasCanceled).Select(s => s.Key).ToArray();

    /// <summary>Waits until the test lets the call named <paramref name="key"/> through.</summary>
    /// <param name="key">Names the call.</param>
    /// <param name="cancellationToken">The provider call's token; when it is canceled the call ends with <see cref="OperationCanceledException"/>.</param>
    /// <returns>A task that completes when the call may return.</returns>
    /// <exception cref="InvalidOperationException">A call with <paramref name="key"/> has already entered.</exception>
    public async Task EnterAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slot = _slots.GetOrAdd(key, static _ => new Slot());
        if (Interlocked.Exchange(ref slot.EnteredFlag, 1) == 1)
        {
            throw new InvalidOperationException($"A call with key '{key}' has already entered this gate; give each call its own key.");
        }

        _startOrder.Enqueue(key);
        Interlocked.Increment(ref _inFlight);
        slot.Started.TrySetResult();
        try
        {
            if (_autoRelease?.Invoke(key) == true)
            {
                slot.Released.TrySetResult();
            }

            await slot.Released.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            slot.WasCanceled = true;
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            slot.Finished.TrySetResult();
        }
    }

    /// <summary>Lets the call named <paramref name="key"/> return, now or as soon as it enters.</summary>
    /// <param name="key">Names the call.</param>
    public void Release(string key) => GetSlot(key).Released.TrySetResult();

    /// <summary>Lets every call named by <paramref name="keys"/> return.</summary>
    /// <param name="keys">Names the calls.</param>
    public void Release(params string[] keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            Release(key);
        }
    }

    /// <summary>Makes the call named <paramref name="key"/> throw <paramref name="exception"/>, now or as soon as it enters.</summary>
    /// <param name="key">Names the call.</param>
    /// <param name="exception">What the call throws.</param>
    public void Fail(string key, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        GetSlot(key).Released.TrySetException(exception);
    }

    /// <summary>Gets a value indicating whether the call named <paramref name="key"/> has entered.</summary>
    /// <param name="key">Names the call.</param>
    /// <returns><see langword="true"/> when the call has entered.</returns>
    public bool HasStarted(string key) => _slots.TryGetValue(key, out var slot) && slot.Started.Task.IsCompleted;

    /// <summary>Waits until the call named <paramref name="key"/> has entered.</summary>
    /// <param name="key">Names the call.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the call has entered.</returns>
    public Task WaitForStartAsync(string key, CancellationToken cancellationToken = default) =>
        GetSlot(key).Started.Task.WaitAsync(cancellationToken);

    /// <summary>Waits until the call named <paramref name="key"/> has returned, thrown or been canceled.</summary>
    /// <param name="key">Names the call.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the call has ended.</returns>
    public Task WaitForEndAsync(string key, CancellationToken cancellationToken = default) =>
        GetSlot(key).Finished.Task.WaitAsync(cancellationToken);

    private Slot GetSlot(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _slots.GetOrAdd(key, static _ => new Slot());
    }

    private sealed class Slot
    {
        public readonly TaskCompletionSource Started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource Released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource Finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int EnteredFlag;
        public volatile bool WasCanceled;
    }
}
