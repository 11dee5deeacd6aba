namespace StreamingBeam.Validation;

/// <summary>The longest delay a timer accepts (<see cref="TimeProvider.CreateTimer"/>, <c>Task.Delay</c>,
/// <see cref="CancellationTokenSource"/>): <c>uint.MaxValue - 1</c> milliseconds, about 49.7 days.</summary>
/// <remarks>Every timeout, window and back-off option of both engines is capped by this one value, so a valid option can
/// never make a timer throw mid-run.</remarks>
internal static class TimerLimits
{
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1d);
}
