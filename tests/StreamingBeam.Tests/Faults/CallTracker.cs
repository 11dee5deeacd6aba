using System.Collections.Concurrent;

namespace StreamingBeam.Tests.Faults;

/// <summary>Counts the calls of the fault-injecting fakes: in flight (incremented on entry, decremented in a finally),
/// started, finished and succeeded, overall and per scope; and lets a test act at the k-th start or finish.</summary>
internal sealed class CallTracker
{
    private readonly ConcurrentDictionary<string, int> _inFlightByScope = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _startedByScope = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ProviderCall> _started = new();
    private readonly ConcurrentQueue<ProviderCall> _succeeded = new();
    private int _inFlight;
    private int _startedCount;
    private int _finishedCount;
    private int _succeededCount;

    /// <summary>Gets or sets what runs inside the k-th call (from 1) right after it entered: the call, the global k
    /// and the k within its scope. Runs on the provider's thread, before the call does anything else.</summary>
    public Action<ProviderCall, int, int>? CallStarted { get; set; }

    /// <summary>Gets or sets what runs at the end of the k-th finishing call (from 1), inside the call, after its
    /// outcome is known and before it returns.</summary>
    public Action<ProviderCall, int>? CallFinished { get; set; }

    /// <summary>Gets or sets what runs at the end of the k-th call (from 1) that succeeds, inside the call, before it returns.</summary>
    public Action<ProviderCall, int>? CallSucceeded { get; set; }

    /// <summary>Gets or sets what runs when a call starts to block: it hangs, or waits for an artifact that hangs.</summary>
    public Action<ProviderCall>? Blocking { get; set; }

    public int InFlight => Volatile.Read(ref _inFlight);

    public int StartedCount => Volatile.Read(ref _startedCount);

    public int FinishedCount => Volatile.Read(ref _finishedCount);

    public IReadOnlyList<ProviderCall> Started => _started.ToArray();

    public IReadOnlyList<ProviderCall> Succeeded => _succeeded.ToArray();

    public int InFlightFor(string scope) => _inFlightByScope.TryGetValue(scope, out var n) ? n : 0;

    public IReadOnlyList<ProviderCall> StartedFor(string scope) => _started.Where(c => c.Scope == scope).ToArray();

    public IReadOnlyList<ProviderCall> SucceededFor(string scope) => _succeeded.Where(c => c.Scope == scope).ToArray();

    public void Enter(ProviderCall call)
    {
        Interlocked.Increment(ref _inFlight);
        _inFlightByScope.AddOrUpdate(call.Scope, 1, static (_, n) => n + 1);
        _started.Enqueue(call);
        var k = Interlocked.Increment(ref _startedCount);
        var kInScope = _startedByScope.AddOrUpdate(call.Scope, 1, static (_, n) => n + 1);
        CallStarted?.Invoke(call, k, kInScope);
    }

    public void Exit(ProviderCall call, bool succeeded)
    {
        if (succeeded)
        {
            _succeeded.Enqueue(call);
            CallSucceeded?.Invoke(call, Interlocked.Increment(ref _succeededCount));
        }

        _inFlightByScope.AddOrUpdate(call.Scope, 0, static (_, n) => n - 1);
        Interlocked.Decrement(ref _inFlight);
        var k = Interlocked.Increment(ref _finishedCount);
        CallFinished?.Invoke(call, k);
    }

    public void OnBlocking(ProviderCall call) => Blocking?.Invoke(call);
}
