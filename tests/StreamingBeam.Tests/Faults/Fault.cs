using System.Globalization;

namespace StreamingBeam.Tests.Faults;

/// <summary>What a fake provider does with one call.</summary>
public enum FaultKind
{
    /// <summary>Answers correctly.</summary>
    None,

    /// <summary>Throws <see cref="InjectedFaultException"/> on every attempt.</summary>
    Throw,

    /// <summary>Never answers; ends only when its token is canceled.</summary>
    Hang,

    /// <summary>Answers with output the engine must reject (null, empty text, NaN score, image without content...).</summary>
    Invalid,

    /// <summary>Throws on the first <see cref="Fault.Failures"/> attempts, then answers correctly.</summary>
    Transient,

    /// <summary>Answers correctly, but only after yielding <see cref="Fault.Failures"/> times (so the answer arrives
    /// later and on another thread); a canceled token ends it at its next yield, unless the provider ignores tokens.</summary>
    Slow,
}

/// <summary>The fault planned for one call.</summary>
internal readonly record struct Fault(FaultKind Kind, int Failures = 0)
{
    public static Fault None => default;

    public static Fault Throw => new(FaultKind.Throw);

    public static Fault Hang => new(FaultKind.Hang);

    public static Fault Invalid => new(FaultKind.Invalid);

    public static Fault Transient(int failures) => new(FaultKind.Transient, failures);

    public static Fault Slow(int yields) => new(FaultKind.Slow, yields);

    public override string ToString() => Kind is FaultKind.Transient or FaultKind.Slow
        ? string.Create(CultureInfo.InvariantCulture, $"{Kind}({Failures})")
        : Kind.ToString();
}

/// <summary>One provider call as a fault rule sees it.</summary>
/// <param name="Scope">The search's user prompt, or the extraction input's name: each concurrent run has its own.</param>
/// <param name="Operation">The beam stage (<see cref="BeamStage"/> name), <c>Extract</c> or <c>Preprocess</c>.</param>
/// <param name="Subject">What the call is about: a candidate's texts, an extractor's or artifact's name.</param>
/// <param name="Attempt">1 for the first call with this scope, operation and subject, 2 for its first retry...</param>
internal sealed record ProviderCall(string Scope, string Operation, string Subject, int Attempt)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Operation} '{Subject}' of '{Scope}' (attempt {Attempt})");
}

/// <summary>What a fake provider throws for <see cref="FaultKind.Throw"/> and <see cref="FaultKind.Transient"/>.</summary>
/// <remarks>A transient fault stands for a 503 and is retried by the engines' default rule; a permanent one for a 400.</remarks>
internal sealed class InjectedFaultException : ProviderException
{
    public InjectedFaultException(ProviderCall call, bool transient)
        : base($"Injected {(transient ? "transient" : "permanent")} fault: {call}.")
    {
        Call = call;
        IsTransient = transient;
        StatusCode = transient ? 503 : 400;
    }

    public ProviderCall Call { get; }
}

/// <summary>Deterministic draws from a seed and strings (FNV-1a), the same in every run and process.</summary>
internal static class Draw
{
    public static double Unit(int seed, params string[] parts)
    {
        var hash = 14695981039346656037UL ^ (ulong)(uint)seed;
        foreach (var part in parts)
        {
            foreach (var c in part)
            {
                hash = (hash ^ c) * 1099511628211UL;
            }

            hash = (hash ^ 0xFF) * 1099511628211UL;
        }

        // Finalize (splitmix64) so that nearby inputs spread over the whole range.
        hash ^= hash >> 30;
        hash *= 0xBF58476D1CE4E5B9UL;
        hash ^= hash >> 27;
        hash *= 0x94D049BB133111EBUL;
        hash ^= hash >> 31;
        return (hash >> 11) * (1.0 / (1UL << 53));
    }

    public static int Int(int seed, int maxExclusive, params string[] parts) =>
        (int)(Unit(seed, parts) * maxExclusive);
}
