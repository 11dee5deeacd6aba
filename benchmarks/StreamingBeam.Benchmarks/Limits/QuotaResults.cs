using System.Collections.Concurrent;

namespace StreamingBeam.Benchmarks.Limits;

/// <summary>Every run the quota benchmarks made in this process (warm-up and jitting runs included), for the summary's
/// columns and the targets report.</summary>
internal static class QuotaResults
{
    private static readonly ConcurrentDictionary<QuotaStrategy, ConcurrentQueue<QuotaRunResult>> Runs = new();

    public static void Record(QuotaRunResult run) => Runs.GetOrAdd(run.Strategy, _ => new()).Enqueue(run);

    public static IReadOnlyList<QuotaRunResult> Of(QuotaStrategy strategy) =>
        Runs.TryGetValue(strategy, out var runs) ? runs.ToArray() : [];

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
