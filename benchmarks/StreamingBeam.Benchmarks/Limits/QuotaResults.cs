using System.Collections.Concurrent;

namespace StreamingBeam.Benchmarks.Limits;

/// <summary>Every run the quota benchmarks made in this process, for the summary's columns and the targets report.</summary>
/// <remarks>BenchmarkDotNet calls each body once to warm up (cold: the first exception thrown, the first timer, JIT) and
/// then once per measured iteration; <see cref="Of"/> leaves the warm-up out, as BenchmarkDotNet's statistics do.</remarks>
internal static class QuotaResults
{
    private static readonly ConcurrentDictionary<(QuotaStrategy, bool), ConcurrentQueue<QuotaRunResult>> Runs = new();

    public static void Record(QuotaRunResult run) =>
        Runs.GetOrAdd((run.Strategy, run.Setup.WholeSecondRetryAfter), _ => new()).Enqueue(run);

    /// <summary>Gets the measured runs of <paramref name="strategy"/> on the standard workload (or with whole-second
    /// <c>Retry-After</c>): every run after the first (the warm-up), or the only one.</summary>
    public static IReadOnlyList<QuotaRunResult> Of(QuotaStrategy strategy, bool wholeSecondRetryAfter = false) =>
        Runs.TryGetValue((strategy, wholeSecondRetryAfter), out var runs) ? Measured(runs.ToArray()) : [];

    /// <summary>Leaves the first run (the warm-up) out when there are more.</summary>
    public static IReadOnlyList<T> Measured<T>(IReadOnlyList<T> runs) => runs.Count > 1 ? runs.Skip(1).ToArray() : runs;

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
