using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using StreamingBeam.Benchmarks.Reporting;

namespace StreamingBeam.Benchmarks.Limits;

/// <summary>The job and the summary columns of the quota benchmarks: the bound, and what the runs did with the quota.</summary>
internal static class QuotaColumns
{
    public static ManualConfig Config(QuotaSetup setup)
    {
        // No memory diagnoser: its extra run would cost another 8 s per strategy, and allocation is not the question.
        var config = BenchmarkConfigs.Create(BenchmarkConfigs.WallClock(iterations: 5), memoryDiagnoser: false);
        var bound = setup.Bound;
        var own = setup.OwnBound;
        config.AddColumn(
            new CustomColumn("Bound ms", "Quota bound: head + (images - burst) / rate + tail (see QuotaBound)", (_, _) => Measured.Ms(bound.Value.TotalMilliseconds), 0),
            new CustomColumn("Median/Bound", "Median wall time over the quota bound",
                (s, c) => Measured.MedianNs(s, c) is { } ns ? Measured.Ratio(ns / 1e6 / bound.Value.TotalMilliseconds) : Measured.Missing, 1),
            new CustomColumn("Median/(images/rate)", "Median wall time over images / rate (8.1 s)",
                (s, c) => Measured.MedianNs(s, c) is { } ns ? Measured.Ratio(ns / 1e6 / bound.QuotaTime.TotalMilliseconds) : Measured.Missing, 2),
            new CustomColumn("Own bound ms", "The engine's schedule under the quota on the draws, zero overhead, first come first served (ImageLimitedSchedule)",
                (_, _) => Measured.Ms(own.TotalMilliseconds), 2),
            new CustomColumn("Median/own bound", "Median wall time over the engine's own schedule under the quota",
                (s, c) => Measured.MedianNs(s, c) is { } ns ? Measured.Ratio(ns / 1e6 / own.TotalMilliseconds) : Measured.Missing, 2),
            new CustomColumn("Utilisation", "Median over runs: tokens used over tokens offered while images waited (QuotaUsage)",
                (_, c) => Stat(setup, c, r => r.Utilisation.Value, "0.000"), 3),
            new CustomColumn("429s", "Median over runs: 429s the provider answered", (_, c) => Stat(setup, c, r => r.ProviderRefusals, "0"), 4),
            new CustomColumn("Cooldowns", "Median over runs: cooldowns the 429s started (a 429 inside an announced pause starts none)",
                (_, c) => Stat(setup, c, r => r.Cooldowns.Cooldowns, "0"), 5),
            new CustomColumn("Max 429s/cooldown", "Over the measured runs: the most 429s in one cooldown",
                (_, c) => Runs(setup, c) is { Count: > 0 } runs ? runs.Max(r => r.Cooldowns.MostRefusalsInOne).ToString(CultureInfo.InvariantCulture) : Measured.Missing, 6),
            new CustomColumn("Failed", "Median over runs: candidates failed (max in brackets)",
                (_, c) => Runs(setup, c) is { Count: > 0 } runs
                    ? string.Create(CultureInfo.InvariantCulture, $"{QuotaResults.Median(runs.Select(r => (double)r.Failed))} ({runs.Max(r => r.Failed)})")
                    : Measured.Missing, 7),
            new CustomColumn("Late ms (start/admission/tail)", "Median over runs: where the wall time exceeds the bound (QuotaLateness)",
                (_, c) => Runs(setup, c) is { Count: > 0 } runs
                    ? string.Create(CultureInfo.InvariantCulture,
                        $"{QuotaResults.Median(runs.Select(r => r.Late.Start.TotalMilliseconds)):0} / {QuotaResults.Median(runs.Select(r => r.Late.Admission.TotalMilliseconds)):0} / {QuotaResults.Median(runs.Select(r => r.Late.Tail.TotalMilliseconds)):0}")
                    : Measured.Missing, 8),
            new CustomColumn("Same best", "Measured runs whose best candidate is the one the draws predict",
                (_, c) => Runs(setup, c) is { Count: > 0 } runs ? $"{runs.Count(r => r.SameBest)}/{runs.Count}" : Measured.Missing, 9));
        return config;
    }

    public static IReadOnlyList<QuotaRunResult> Runs(QuotaSetup setup, BenchmarkCase c) =>
        QuotaResults.Of(Enum.Parse<QuotaStrategy>(c.Descriptor.WorkloadMethod.Name), setup.WholeSecondRetryAfter);

    private static string Stat(QuotaSetup setup, BenchmarkCase c, Func<QuotaRunResult, double> value, string format) =>
        Runs(setup, c) is { Count: > 0 } runs
            ? QuotaResults.Median(runs.Select(value)).ToString(format, CultureInfo.InvariantCulture)
            : Measured.Missing;
}
