namespace StreamingBeam.Benchmarks.Timing;

/// <summary>Which timers simulated latencies wait on.</summary>
public enum TimerKind
{
    /// <summary><see cref="TimeProvider.System"/>: .NET's timers, due on the coarse monotonic clock (4 ms ticks here).</summary>
    System,

    /// <summary><see cref="PreciseTimeProvider"/>: a timer thread on the high-resolution clock.</summary>
    Precise,
}
