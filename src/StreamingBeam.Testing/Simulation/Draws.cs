namespace StreamingBeam.Testing;

/// <summary>Turns a hash into independent random draws, each named by a purpose, without any shared state.</summary>
/// <remarks>
/// A draw is a pure function of (hash, purpose, index). Two calls with the same request therefore draw the same
/// values whatever the order, the thread or the other calls in flight, which is what makes a simulated run
/// repeatable and lets a benchmark recompute the latencies of a run without calling anything.
/// </remarks>
internal static class Draws
{
    /// <summary>Purposes, so that the latency, fault and output of one call are drawn independently.</summary>
    public const ulong Latency = 0x4C4154454E4359UL;
    public const ulong Fault = 0x4641554C54UL;
    public const ulong FaultKind = 0x4641554C544BUL;
    public const ulong Output = 0x4F5554505554UL;
    public const ulong Noise = 0x4E4F495345UL;

    /// <summary>Derives the hash of one draw.</summary>
    public static ulong Derive(ulong hash, ulong purpose, int index = 0) =>
        StableHash.Start(hash).Add(purpose).Add(index).Finish();

    /// <summary>A uniform value strictly between 0 and 1 (never 0, never 1), from the top 53 bits of <paramref name="hash"/>.</summary>
    public static double Uniform(ulong hash) => ((hash >> 11) + 0.5) * (1.0 / (1UL << 53));

    /// <summary>A uniform value strictly between 0 and 1 for one purpose.</summary>
    public static double Uniform(ulong hash, ulong purpose, int index = 0) => Uniform(Derive(hash, purpose, index));

    /// <summary>An index in [0, <paramref name="count"/>) for one purpose.</summary>
    public static int Index(ulong hash, ulong purpose, int index, int count) =>
        (int)(Derive(hash, purpose, index) % (ulong)count);
}
