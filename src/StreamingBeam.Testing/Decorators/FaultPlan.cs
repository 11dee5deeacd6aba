using System.Collections.Concurrent;

namespace StreamingBeam.Testing;

/// <summary>Decides and carries out the fate of each call a fault-injecting decorator wraps.</summary>
internal sealed class FaultPlan
{
    private const ulong FaultPurpose = 0xFA017;
    private readonly FaultInjectionOptions _options;
    private readonly string _provider;
    private readonly ConcurrentDictionary<string, int> _repeats = new(StringComparer.Ordinal);

    public FaultPlan(FaultInjectionOptions options, string provider)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        // A copy, so later changes to the caller's options do not reach calls in flight.
        _options = new FaultInjectionOptions
        {
            Seed = options.Seed,
            FailureRate = options.FailureRate,
            HangRate = options.HangRate,
            InvalidOutputRate = options.InvalidOutputRate,
        };
        _provider = provider;
    }

    /// <summary>Makes the call named <paramref name="key"/>: passes it on, or fails, hangs or answers invalid output.</summary>
    public Task<T> RunAsync<T>(string key, Func<CancellationToken, Task<T>> call, Func<T> invalid, CancellationToken cancellationToken)
    {
        var repeat = _repeats.AddOrUpdate(key, 0, static (_, n) => n + 1);
        var hash = StableHash.Start().Add(_options.Seed).Add(key).Add(repeat).Finish();
        var u = Draws.Uniform(hash, FaultPurpose);
        if (u < _options.FailureRate)
        {
            return Task.FromException<T>(new SimulatedFaultException($"{_provider}: injected failure of '{key}' (call {repeat + 1})."));
        }

        if (u < _options.FailureRate + _options.HangRate)
        {
            return HangAsync<T>(cancellationToken);
        }

        return u < _options.FailureRate + _options.HangRate + _options.InvalidOutputRate
            ? Task.FromResult(invalid())
            : call(cancellationToken);
    }

    private static async Task<T> HangAsync<T>(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        throw new InvalidOperationException("Unreachable: an infinite delay ended without cancellation.");
    }
}
