namespace StreamingBeam.Testing;

/// <summary>One provider's token bucket (see <see cref="SimulatedQuotaOptions"/>): full at construction, refilled
/// continuously on the provider's clock, one token per admitted call.</summary>
/// <remarks>
/// Counts are exact, with no rounding drift however the calls are spaced: a token is <c>Period.Ticks</c> units, and
/// every tick of the clock adds <c>RequestsPerPeriod</c> units, so the level is an integer. <see cref="Int128"/> keeps
/// the products exact for any options and any elapsed time. Thread-safe: one lock around the level.
/// </remarks>
internal sealed class QuotaBucket
{
    private readonly object _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly long _origin;
    private readonly Int128 _tokenUnits;
    private readonly Int128 _capacity;
    private readonly long _unitsPerTick;
    private Int128 _level;
    private long _lastTicks;
    private long _refused;

    public QuotaBucket(SimulatedQuotaOptions options, TimeProvider timeProvider)
    {
        Description = options.ToString();
        _timeProvider = timeProvider;
        _origin = timeProvider.GetTimestamp();
        _tokenUnits = options.Period.Ticks;
        _capacity = _tokenUnits * (options.Burst ?? options.RequestsPerPeriod);
        _unitsPerTick = options.RequestsPerPeriod;
        _level = _capacity;
    }

    /// <summary>Gets the quota as text, for messages.</summary>
    public string Description { get; }

    /// <summary>Gets how many calls the bucket has refused.</summary>
    public long Refused
    {
        get
        {
            lock (_lock)
            {
                return _refused;
            }
        }
    }

    /// <summary>Takes a token if one is there.</summary>
    /// <param name="retryAfter">When refused: the time until the next token, rounded up to whole milliseconds (the
    /// resolution timers wait with, so a caller that waits exactly this long finds the token there).</param>
    /// <returns><see langword="true"/> when the call is admitted.</returns>
    public bool TryTake(out TimeSpan retryAfter)
    {
        lock (_lock)
        {
            var now = _timeProvider.GetElapsedTime(_origin).Ticks;
            if (now > _lastTicks)
            {
                var refilled = _level + ((Int128)(now - _lastTicks) * _unitsPerTick);
                _level = refilled > _capacity ? _capacity : refilled;
                _lastTicks = now;
            }

            if (_level >= _tokenUnits)
            {
                _level -= _tokenUnits;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            var ticks = (long)((_tokenUnits - _level + _unitsPerTick - 1) / _unitsPerTick);
            var milliseconds = (ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;
            retryAfter = TimeSpan.FromTicks(milliseconds * TimeSpan.TicksPerMillisecond);
            _refused++;
            return false;
        }
    }
}
