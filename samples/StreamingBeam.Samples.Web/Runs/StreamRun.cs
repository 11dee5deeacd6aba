using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace StreamingBeam.Samples.Web.Runs;

/// <summary>One run kept on the server: an append-only log of numbered events that any number of clients read, each
/// from where it left off, while the run's work goes on in the background.</summary>
/// <remarks>
/// <para>The log is what makes reconnection work: a client that comes back with <c>Last-Event-ID: 7</c> reads events 8,
/// 9 ... from the log and then follows live, and the run itself never restarts.</para>
/// <para>A run that nobody reads is canceled: whenever its reader count drops to zero (and right after it starts,
/// before the first reader arrives) a grace timer starts; a reader that attaches stops it; when it fires the run is
/// canceled with <see cref="CancelReasons.Abandoned"/>.</para>
/// </remarks>
internal sealed class StreamRun : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<RunEvent> _events = [];
    private readonly Dictionary<string, RunAsset> _assets = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _cancellation = new();
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _gracePeriod;
    private TaskCompletionSource _changed = NewSignal();
    private ITimer? _graceTimer;
    private int _subscribers;
    private string? _cancelReason;
    private long _finishedAt;
    private bool _started;
    private bool _disposed;
    private Task _completion = Task.CompletedTask;

    public StreamRun(string id, RunKind kind, TimeProvider timeProvider, TimeSpan gracePeriod)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(gracePeriod, TimeSpan.Zero);
        Id = id;
        Kind = kind;
        _timeProvider = timeProvider;
        _gracePeriod = gracePeriod;
        CreatedAt = timeProvider.GetTimestamp();
    }

    public string Id { get; }

    public RunKind Kind { get; }

    public long CreatedAt { get; }

    /// <summary>Gets the token the run's work observes.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>Gets the background work. It does not fault: the work reports its own failures as events, and a
    /// cancellation ends it quietly.</summary>
    public Task Completion => _completion;

    /// <summary>Gets a value indicating whether the work has started. Before that the run only holds its place among
    /// the kept runs while its upload is received and checked.</summary>
    public bool IsStarted
    {
        get
        {
            lock (_lock)
            {
                return _started;
            }
        }
    }

    public bool IsFinished
    {
        get
        {
            lock (_lock)
            {
                return _finishedAt != 0;
            }
        }
    }

    /// <summary>Gets the timestamp (of the registry's <see cref="TimeProvider"/>) when the run finished, or 0.</summary>
    public long FinishedAt
    {
        get
        {
            lock (_lock)
            {
                return _finishedAt;
            }
        }
    }

    public string? CancelReason
    {
        get
        {
            lock (_lock)
            {
                return _cancelReason;
            }
        }
    }

    public int Subscribers
    {
        get
        {
            lock (_lock)
            {
                return _subscribers;
            }
        }
    }

    public int EventCount
    {
        get
        {
            lock (_lock)
            {
                return _events.Count;
            }
        }
    }

    /// <summary>Starts the run's work on the thread pool. The log is closed when the work returns.</summary>
    public void Start(Func<StreamRun, CancellationToken, Task> work)
    {
        lock (_lock)
        {
            _started = true;
            if (_subscribers == 0)
            {
                StartGraceTimer();
            }
        }

        _completion = Task.Run(async () =>
        {
            try
            {
                await work(this, Token);
            }
            catch (OperationCanceledException) when (Token.IsCancellationRequested)
            {
                // Canceled work that did not report it itself: the log just ends.
            }
            finally
            {
                Finish();
            }
        });
    }

    /// <summary>Appends an event to the log and wakes the readers.</summary>
    public RunEvent Append(string type, JsonObject data)
    {
        lock (_lock)
        {
            if (_finishedAt != 0)
            {
                throw new InvalidOperationException($"Run {Id} has finished; it takes no more events.");
            }

            var item = new RunEvent(_events.Count + 1, type, data.ToJsonString());
            _events.Add(item);
            SignalLocked();
            return item;
        }
    }

    public void AddAsset(string name, RunAsset asset)
    {
        lock (_lock)
        {
            _assets[name] = asset;
        }
    }

    public RunAsset? FindAsset(string name)
    {
        lock (_lock)
        {
            return _assets.GetValueOrDefault(name);
        }
    }

    /// <summary>Gets the id of the last event, or 0 when there is none yet.</summary>
    public long LastEventId => EventCount;

    /// <summary>Reads the events after <paramref name="afterId"/>, then follows new ones until the run finishes.</summary>
    public async IAsyncEnumerable<RunEvent> ReadAsync(long afterId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var next = afterId < 0 ? 0 : afterId;
        while (true)
        {
            RunEvent[] batch;
            bool finished;
            Task changed;
            lock (_lock)
            {
                batch = next < _events.Count ? _events.GetRange((int)next, _events.Count - (int)next).ToArray() : [];
                finished = _finishedAt != 0;
                changed = _changed.Task;
            }

            foreach (var item in batch)
            {
                yield return item;
            }

            next += batch.Length;
            if (batch.Length == 0)
            {
                if (finished)
                {
                    yield break;
                }

                await changed.WaitAsync(cancellationToken);
            }
        }
    }

    /// <summary>Counts a reader in until the returned lease is disposed; the grace timer runs only while nobody reads.</summary>
    public IDisposable Attach()
    {
        lock (_lock)
        {
            _subscribers++;
            _graceTimer?.Dispose();
            _graceTimer = null;
            SignalLocked();
        }

        return new Lease(this);
    }

    /// <summary>Cancels the run's work, once; returns <see langword="false"/> when it had finished or was already canceled.</summary>
    public bool Cancel(string reason)
    {
        lock (_lock)
        {
            // A disposed run was forgotten before it started (a rejected upload): there is nothing left to cancel.
            if (_finishedAt != 0 || _cancelReason is not null || _disposed)
            {
                return false;
            }

            _cancelReason = reason;
        }

        _cancellation.Cancel();
        return true;
    }

    /// <summary>Waits until exactly <paramref name="count"/> readers are attached (tests use it to know when the
    /// server has seen a client come or go).</summary>
    public async Task WaitForSubscribersAsync(int count, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_subscribers == count)
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _graceTimer?.Dispose();
            _graceTimer = null;
        }

        _cancellation.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Detach()
    {
        lock (_lock)
        {
            _subscribers--;
            if (_subscribers == 0 && _finishedAt == 0)
            {
                StartGraceTimer();
            }

            SignalLocked();
        }
    }

    private void Finish()
    {
        lock (_lock)
        {
            // A timestamp of 0 would read as "running"; a real one is never 0 after start, but be safe.
            _finishedAt = Math.Max(1, _timeProvider.GetTimestamp());
            _graceTimer?.Dispose();
            _graceTimer = null;
            SignalLocked();
        }
    }

    private void StartGraceTimer()
    {
        _graceTimer?.Dispose();
        _graceTimer = _timeProvider.CreateTimer(static state => ((StreamRun)state!).OnGraceExpired(), this, _gracePeriod, Timeout.InfiniteTimeSpan);
    }

    private void OnGraceExpired()
    {
        lock (_lock)
        {
            if (_subscribers > 0 || _finishedAt != 0)
            {
                return;
            }
        }

        Cancel(CancelReasons.Abandoned);
    }

    private void SignalLocked()
    {
        var changed = _changed;
        _changed = NewSignal();
        changed.TrySetResult();
    }

    private sealed class Lease(StreamRun run) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                run.Detach();
            }
        }
    }
}
