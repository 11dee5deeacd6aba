using System.Globalization;

namespace StreamingBeam.Testing;

/// <summary>How long a simulated provider call takes: a distribution given by its quantile function.</summary>
/// <remarks>
/// <para>
/// A simulated provider turns each call into a uniform draw <c>p</c> in (0, 1) that is a pure function of its seed,
/// the operation and the request, and waits <see cref="Quantile"/>(p). Because the draw never depends on call order,
/// a benchmark can compute every call's latency (and so a run's critical path) without making the calls.
/// </para>
/// <para>
/// Use the factories (<see cref="Fixed"/>, <see cref="Uniform"/>, <see cref="LogNormal"/>, <see cref="Zero"/>),
/// or derive a class of your own, for example for an empirical distribution measured from a real provider.
/// Providers clamp results to [0, <see cref="MaxLatency"/>] and round them up to whole milliseconds (the resolution of
/// <see cref="Task.Delay(TimeSpan, TimeProvider, CancellationToken)"/>); their <c>GetLatency</c> methods report the
/// rounded value, which is exactly what a call waits.
/// </para>
/// </remarks>
public abstract class LatencyDistribution
{
    /// <summary>Initializes a new instance of the <see cref="LatencyDistribution"/> class.</summary>
    protected LatencyDistribution()
    {
    }

    /// <summary>Gets the longest latency a simulated call ever waits: one day.</summary>
    public static TimeSpan MaxLatency { get; } = TimeSpan.FromDays(1);

    /// <summary>Gets a distribution whose every draw is zero: calls complete synchronously, without any timer.</summary>
    /// <remarks>Use it to measure an engine's own overhead, or in tests that need no time at all.</remarks>
    public static LatencyDistribution Zero { get; } = new FixedLatency(TimeSpan.Zero);

    /// <summary>Gets the latency at probability <paramref name="p"/>: the value that a share <paramref name="p"/> of
    /// calls stay under.</summary>
    /// <param name="p">A probability strictly between 0 and 1.</param>
    /// <returns>A latency from zero to <see cref="MaxLatency"/>.</returns>
    public abstract TimeSpan Quantile(double p);

    /// <summary>Creates a distribution whose every draw is <paramref name="latency"/>.</summary>
    /// <param name="latency">The latency of every call, from zero to <see cref="MaxLatency"/>.</param>
    /// <returns>The distribution.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="latency"/> is negative or above <see cref="MaxLatency"/>.</exception>
    public static LatencyDistribution Fixed(TimeSpan latency)
    {
        CheckLatency(latency, nameof(latency));
        return latency == TimeSpan.Zero ? Zero : new FixedLatency(latency);
    }

    /// <summary>Creates a distribution whose draws are spread evenly between <paramref name="minimum"/> and <paramref name="maximum"/>.</summary>
    /// <param name="minimum">The shortest latency, zero or more.</param>
    /// <param name="maximum">The longest latency, at least <paramref name="minimum"/> and at most <see cref="MaxLatency"/>.</param>
    /// <returns>The distribution.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A bound is negative or above <see cref="MaxLatency"/>, or <paramref name="maximum"/> is below <paramref name="minimum"/>.</exception>
    public static LatencyDistribution Uniform(TimeSpan minimum, TimeSpan maximum)
    {
        CheckLatency(minimum, nameof(minimum));
        CheckLatency(maximum, nameof(maximum));
        if (maximum < minimum)
        {
            throw new ArgumentOutOfRangeException(nameof(maximum), maximum,
                $"The maximum latency must be at least the minimum ({minimum}).");
        }

        return new UniformLatency(minimum, maximum);
    }

    /// <summary>Creates a log-normal distribution: most calls take about <paramref name="median"/>, and a long tail of
    /// calls take much longer, as real model APIs do.</summary>
    /// <param name="median">The median latency: half the calls are faster. Greater than zero.</param>
    /// <param name="sigma">The standard deviation of the latency's natural logarithm, from 0 to 4: 0 makes every call
    /// take <paramref name="median"/>; 0.5 puts the 95th percentile at about 2.3 times the median; 1 at about 5.2 times.</param>
    /// <returns>The distribution.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="median"/> is not positive or above <see cref="MaxLatency"/>,
    /// or <paramref name="sigma"/> is not in [0, 4].</exception>
    public static LatencyDistribution LogNormal(TimeSpan median, double sigma)
    {
        CheckLatency(median, nameof(median));
        if (median == TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(median), median, "The median latency of a log-normal distribution must be greater than zero.");
        }

        if (!(sigma >= 0 && sigma <= 4))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "Sigma must be between 0 and 4 (inclusive).");
        }

        return new LogNormalLatency(median, sigma);
    }

    /// <summary>Clamps a latency to [0, <see cref="MaxLatency"/>].</summary>
    /// <param name="latency">The latency.</param>
    /// <returns>The clamped latency.</returns>
    protected static TimeSpan Clamp(TimeSpan latency) =>
        latency < TimeSpan.Zero ? TimeSpan.Zero : latency > MaxLatency ? MaxLatency : latency;

    /// <summary>Checks that <paramref name="p"/> is a probability strictly between 0 and 1.</summary>
    /// <param name="p">The probability.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is not strictly between 0 and 1.</exception>
    protected static void CheckProbability(double p)
    {
        if (!(p > 0 && p < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "The probability must be strictly between 0 and 1.");
        }
    }

    private static void CheckLatency(TimeSpan value, string paramName)
    {
        if (value < TimeSpan.Zero || value > MaxLatency)
        {
            throw new ArgumentOutOfRangeException(paramName, value,
                $"A latency must be between zero and {nameof(LatencyDistribution)}.{nameof(MaxLatency)} ({MaxLatency}).");
        }
    }

    private sealed class FixedLatency(TimeSpan latency) : LatencyDistribution
    {
        public override TimeSpan Quantile(double p)
        {
            CheckProbability(p);
            return latency;
        }

        public override string ToString() => $"Fixed({Format(latency)})";
    }

    private sealed class UniformLatency(TimeSpan minimum, TimeSpan maximum) : LatencyDistribution
    {
        public override TimeSpan Quantile(double p)
        {
            CheckProbability(p);
            return Clamp(minimum + TimeSpan.FromTicks((long)((maximum - minimum).Ticks * p)));
        }

        public override string ToString() => $"Uniform({Format(minimum)}, {Format(maximum)})";
    }

    private sealed class LogNormalLatency(TimeSpan median, double sigma) : LatencyDistribution
    {
        public override TimeSpan Quantile(double p)
        {
            CheckProbability(p);
            var ticks = median.Ticks * Math.Exp(sigma * NormalQuantile.Of(p));
            return ticks >= MaxLatency.Ticks ? MaxLatency : Clamp(TimeSpan.FromTicks((long)ticks));
        }

        public override string ToString() =>
            string.Create(CultureInfo.InvariantCulture, $"LogNormal(median {Format(median)}, sigma {sigma})");
    }

    private static string Format(TimeSpan value) =>
        string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds} ms");
}
