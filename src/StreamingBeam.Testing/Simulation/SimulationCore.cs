using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace StreamingBeam.Testing;

/// <summary>What every simulated call does: pass the quota (or be refused at once), draw its latency and fault from
/// the request, wait, then fail, hang, return bad output or return the real output.</summary>
/// <remarks>Holds a validated copy of the provider's options, so that later changes to the options object have no effect.</remarks>
internal sealed class SimulationCore
{
    private readonly string _provider;
    private readonly long _seed;
    private readonly TimeProvider _timeProvider;
    private readonly Dictionary<SimulatedOperation, LatencyDistribution> _latency = [];
    private readonly double _failureRate;
    private readonly double _hangRate;
    private readonly double _invalidOutputRate;
    private readonly ConcurrentDictionary<(SimulatedOperation Operation, ulong RequestKey), int>? _repeats;
    private readonly QuotaBucket? _quota;

    public SimulationCore(string provider, long seed, SimulatedProviderOptions options, IEnumerable<SimulatedOperation> operations, TimeProvider? timeProvider)
    {
        _provider = provider;
        _seed = seed;
        _timeProvider = timeProvider ?? TimeProvider.System;
        foreach (var operation in operations)
        {
            _latency[operation] = options.LatencyFor(operation);
        }

        _failureRate = options.FailureRate;
        _hangRate = options.HangRate;
        _invalidOutputRate = options.InvalidOutputRate;
        if (options.RedrawOnRepeat)
        {
            _repeats = new();
        }

        if (options.Quota is not null)
        {
            _quota = new QuotaBucket(options.Quota, _timeProvider);
        }
    }

    /// <summary>What fault injection decided for one call.</summary>
    public enum Outcome
    {
        Succeed,
        Fail,
        Hang,
        Invalid,
    }

    public long Seed => _seed;

    /// <summary>Gets how many calls the quota refused; 0 without a quota.</summary>
    public long RateLimitedCalls => _quota?.Refused ?? 0;

    /// <summary>Gets the hash every draw of a call derives from: seed, operation and request, nothing else.</summary>
    public ulong CallKey(SimulatedOperation operation, ulong requestKey) =>
        StableHash.Start().Add(_seed).Add((int)operation).Add(requestKey).Finish();

    /// <summary>Gets the latency of the first call with this request.</summary>
    public TimeSpan GetLatency(SimulatedOperation operation, ulong requestKey) =>
        LatencyOf(operation, CallKey(operation, requestKey));

    /// <summary>Gets the fault outcome of the first call with this request.</summary>
    public Outcome GetOutcome(SimulatedOperation operation, ulong requestKey) =>
        OutcomeOf(CallKey(operation, requestKey));

    /// <summary>Runs one simulated call.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="requestKey">The stable hash of the request's content.</param>
    /// <param name="state">What <paramref name="produce"/> needs.</param>
    /// <param name="produce">Makes the real output from the state and the call key.</param>
    /// <param name="invalid">Makes bad output from a hash.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public Task<T> RunAsync<TState, T>(
        SimulatedOperation operation,
        ulong requestKey,
        TState state,
        Func<TState, ulong, T> produce,
        Func<ulong, T> invalid,
        CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        // The quota comes first, as a real service's gateway answers 429 before the model sees the request: a refused
        // call waits for nothing, draws nothing and is not a repeat of the request.
        if (_quota is not null && !_quota.TryTake(out var retryAfter))
        {
            return Task.FromException<T>(RateLimited(operation, retryAfter));
        }

        var callKey = CallKey(operation, requestKey);
        var eventKey = callKey;
        if (_repeats is not null)
        {
            var occurrence = _repeats.AddOrUpdate((operation, requestKey), 1, static (_, n) => n + 1);
            if (occurrence > 1)
            {
                eventKey = StableHash.Start(callKey).Add(occurrence).Finish();
            }
        }

        var outcome = OutcomeOf(eventKey);
        if (outcome == Outcome.Hang)
        {
            return HangAsync<T>(cancellationToken);
        }

        var latency = LatencyOf(operation, eventKey);
        if (latency <= TimeSpan.Zero)
        {
            // Zero latency completes synchronously, with no timer and no state machine, so that a benchmark with
            // instant providers measures the engine alone.
            return Complete(operation, requestKey, outcome, callKey, eventKey, state, produce, invalid);
        }

        return DelayThenCompleteAsync(latency, operation, requestKey, outcome, callKey, eventKey, state, produce, invalid, cancellationToken);
    }

    private async Task<T> DelayThenCompleteAsync<TState, T>(
        TimeSpan latency,
        SimulatedOperation operation,
        ulong requestKey,
        Outcome outcome,
        ulong callKey,
        ulong eventKey,
        TState state,
        Func<TState, ulong, T> produce,
        Func<ulong, T> invalid,
        CancellationToken cancellationToken)
    {
        await Task.Delay(latency, _timeProvider, cancellationToken).ConfigureAwait(false);
        return await Complete(operation, requestKey, outcome, callKey, eventKey, state, produce, invalid).ConfigureAwait(false);
    }

    private Task<T> Complete<TState, T>(
        SimulatedOperation operation,
        ulong requestKey,
        Outcome outcome,
        ulong callKey,
        ulong eventKey,
        TState state,
        Func<TState, ulong, T> produce,
        Func<ulong, T> invalid)
    {
        try
        {
            return outcome switch
            {
                Outcome.Fail => Task.FromException<T>(new SimulatedFaultException(_provider, operation, requestKey)),
                Outcome.Invalid => Task.FromResult(invalid(Draws.Derive(eventKey, Draws.FaultKind))),
                _ => Task.FromResult(produce(state, callKey)),
            };
        }
#pragma warning disable CA1031 // A defect in output generation must fault the returned task, as an async method would, not throw synchronously.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Task.FromException<T>(ex);
        }
    }

    private ProviderRateLimitedException RateLimited(SimulatedOperation operation, TimeSpan retryAfter) => new(
        string.Create(CultureInfo.InvariantCulture,
            $"Simulated rate limit: {_provider} refused the {operation} call; retry after {retryAfter.TotalMilliseconds:0} ms (its quota is {_quota!.Description})."),
        retryAfter,
        null)
    {
        Operation = OperationName(_provider, operation),
    };

    /// <summary>Gets what <see cref="ProviderException.Operation"/> says for a call: the provider and the method called,
    /// for example <c>SimulatedImageGenerator.GenerateAsync</c>.</summary>
    internal static string OperationName(string provider, SimulatedOperation operation) =>
        provider + "." + (operation == SimulatedOperation.GenerateImage ? "Generate" : operation.ToString()) + "Async";

    private async Task<T> HangAsync<T>(CancellationToken cancellationToken)
    {
        // Waits for the token alone: an infinite delay never fires, whatever the clock does.
        await Task.Delay(Timeout.InfiniteTimeSpan, _timeProvider, cancellationToken).ConfigureAwait(false);
        throw new UnreachableException("An infinite delay completed without cancellation.");
    }

    private Outcome OutcomeOf(ulong eventKey)
    {
        if (_failureRate == 0 && _hangRate == 0 && _invalidOutputRate == 0)
        {
            return Outcome.Succeed;
        }

        var u = Draws.Uniform(eventKey, Draws.Fault);
        if (u < _failureRate)
        {
            return Outcome.Fail;
        }

        if (u < _failureRate + _hangRate)
        {
            return Outcome.Hang;
        }

        return u < _failureRate + _hangRate + _invalidOutputRate ? Outcome.Invalid : Outcome.Succeed;
    }

    private TimeSpan LatencyOf(SimulatedOperation operation, ulong eventKey)
    {
        var latency = _latency[operation].Quantile(Draws.Uniform(eventKey, Draws.Latency));
        if (latency <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        if (latency >= LatencyDistribution.MaxLatency)
        {
            return LatencyDistribution.MaxLatency;
        }

        // Task.Delay truncates its delay to whole milliseconds, which would end a call up to 1 ms before the
        // latency a benchmark computes for it. Rounding up here makes the wait and the reported latency the same.
        var milliseconds = (latency.Ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;
        return TimeSpan.FromTicks(milliseconds * TimeSpan.TicksPerMillisecond);
    }
}
