namespace StreamingBeam.Benchmarks.Beam;

/// <summary>What holds image calls back in <see cref="ImageLimitedSchedule"/>: a concurrency limit, a token bucket, both,
/// or nothing.</summary>
/// <param name="Concurrency">The most images at once, or <see langword="null"/> for no limit.</param>
/// <param name="PerSecond">The bucket's tokens per second, or <see langword="null"/> for no bucket.</param>
/// <param name="Burst">The bucket's capacity (full at time zero).</param>
internal readonly record struct ImageLimit(int? Concurrency, double? PerSecond = null, int Burst = 1)
{
    public static ImageLimit None => new(null);

    public static ImageLimit Slots(int concurrency) => new(concurrency);

    public static ImageLimit Quota(double perSecond, int burst) => new(null, perSecond, burst);
}
