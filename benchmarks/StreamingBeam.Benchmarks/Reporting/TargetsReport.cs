using System.Globalization;
using System.Text;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using StreamingBeam.Benchmarks.Beam;
using StreamingBeam.Benchmarks.Extraction;
using StreamingBeam.Benchmarks.Limits;
using StreamingBeam.Benchmarks.Overhead;
using StreamingBeam.Benchmarks.Timing;

namespace StreamingBeam.Benchmarks.Reporting;

/// <summary>Checks the issue's targets against what the run measured, one row per target and case.</summary>
internal static class TargetsReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string? Build(IReadOnlyList<Summary> summaries)
    {
        var rows = new List<(string Target, string Measured, string Verdict)>();
        BeamRows(summaries, rows);
        QuotaRows(summaries, rows);
        ImageSlotRows(summaries, rows);
        TimeToFirstResultRows(summaries, rows);
        OverheadRows(summaries, rows);
        if (rows.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder();
        text.AppendLine("Targets (ratios and times from medians; allocations from BenchmarkDotNet's MemoryDiagnoser):");
        text.AppendLine();
        text.AppendLine("| Target | Measured | Verdict |");
        text.AppendLine("|---|---|---|");
        foreach (var (target, measured, verdict) in rows)
        {
            text.Append("| ").Append(target).Append(" | ").Append(measured).Append(" | ").Append(verdict).AppendLine(" |");
        }

        return text.ToString();
    }

    private static void BeamRows(IReadOnlyList<Summary> summaries, List<(string, string, string)> rows)
    {
        foreach (var (method, target, low, high) in new[]
        {
            (nameof(BeamStrategyBenchmarks.Engine), "promoted engine wall <= 1.02 x promoted bound", 0.0, 1.02),
            (nameof(BeamStrategyBenchmarks.EngineStrict), "strict engine wall <= 1.02 x bound", 0.0, 1.02),
            (nameof(BeamStrategyBenchmarks.Batched), "batched expected 1.3-1.8 x bound", 1.3, 1.8),
            (nameof(BeamStrategyBenchmarks.SeedPattern), "seed pattern expected 1.05-1.15 x bound", 1.05, 1.15),
        })
        {
            foreach (var (summary, c) in Cases(summaries, typeof(BeamStrategyBenchmarks), method))
            {
                var n = Measured.Param<int>(c, nameof(BeamStrategyBenchmarks.N));
                var sigma = Measured.Param<double>(c, nameof(BeamStrategyBenchmarks.Sigma));
                if (sigma != 0.75 || Measured.MedianNs(summary, c) is not { } ns)
                {
                    continue;
                }

                var draws = BeamDraws.For(n, sigma);
                var bound = method == nameof(BeamStrategyBenchmarks.Engine) ? draws.PromotedBound : draws.Bound;
                var ratio = ns / 1e6 / bound.TotalMilliseconds;
                var verdict = high <= 1.02
                    ? ratio <= high ? "met" : "not met"
                    : ratio >= low && ratio <= high ? "as expected" : ratio < low ? "below the expected range" : "above the expected range";
                rows.Add((string.Create(Invariant, $"Beam N={n}, sigma {sigma}: {target}"), Measured.Ratio(ratio), verdict));
                if (method == nameof(BeamStrategyBenchmarks.Engine))
                {
                    rows.Add((
                        string.Create(Invariant, $"Beam N={n}, sigma {sigma}: promoted bound / strict bound (issue: ~0.92 at N 9, ~0.79 at N 27)"),
                        Measured.Ratio(draws.PromotedBound / draws.Bound),
                        "information"));
                }
            }
        }
    }

    private static void QuotaRows(IReadOnlyList<Summary> summaries, List<(string, string, string)> rows)
    {
        foreach (var (type, setup) in new[] { (typeof(QuotaBenchmarks), QuotaSetup.Standard), (typeof(WholeSecondQuotaBenchmarks), QuotaSetup.WholeSeconds) })
        {
            var bound = setup.Bound.Value.TotalMilliseconds;
            foreach (var (summary, c) in Cases(summaries, type, null))
            {
                var method = c.Descriptor.WorkloadMethod.Name;
                var strategy = Enum.Parse<QuotaStrategy>(method);
                var runs = QuotaResults.Of(strategy, setup.WholeSecondRetryAfter);
                if (Measured.MedianNs(summary, c) is not { } ns || runs.Count == 0)
                {
                    continue;
                }

                var ratio = ns / 1e6 / bound;
                var utilisation = QuotaResults.Median(runs.Select(r => r.Utilisation.Value));
                var failed = runs.Max(r => r.Failed);
                var most = runs.Max(r => r.Cooldowns.MostRefusalsInOne);
                var refusals = QuotaResults.Median(runs.Select(r => (double)r.ProviderRefusals));
                var cooldowns = QuotaResults.Median(runs.Select(r => (double)r.Cooldowns.Cooldowns));
                if (!setup.WholeSecondRetryAfter && strategy is QuotaStrategy.Limiter or QuotaStrategy.Cooldown)
                {
                    var name = strategy == QuotaStrategy.Limiter ? "(a) matching limiter" : "(b) shared cooldown";
                    rows.Add(($"Quota {name}: wall <= 1.05 x quota bound", string.Create(Invariant, $"{ratio:0.000} ({ns / 1e6 / setup.OwnBound.TotalMilliseconds:0.000} x the engine's own schedule under the quota)"), ratio <= 1.05 ? "met" : "not met"));
                    rows.Add(($"Quota {name}: utilisation while images wait >= 0.95", Measured.Ratio(utilisation), utilisation >= 0.95 ? "met" : "not met"));
                    rows.Add(($"Quota {name}: 0 candidates failed", failed.ToString(Invariant), failed == 0 ? "met" : "not met"));
                    rows.Add((
                        $"Quota {name}: at most one 429 per cooldown",
                        string.Create(Invariant, $"at most {most} ({refusals:0} 429s in {cooldowns:0} cooldowns, median)"),
                        most <= 1 ? "met" : "not met"));
                }
                else
                {
                    rows.Add((
                        $"Quota{(setup.WholeSecondRetryAfter ? ", whole-second Retry-After" : string.Empty)}, {method}: wall / quota bound, utilisation, 429s, most per cooldown, failed",
                        string.Create(Invariant, $"{ratio:0.000}, {utilisation:0.000}, {refusals:0}, {most}, {failed}"),
                        "information"));
                }
            }
        }
    }

    private static void ImageSlotRows(IReadOnlyList<Summary> summaries, List<(string, string, string)> rows)
    {
        foreach (var (summary, c) in Cases(summaries, typeof(ImageSlotBenchmarks), null))
        {
            var n = Measured.Param<int>(c, nameof(ImageSlotBenchmarks.N));
            var promote = c.Descriptor.WorkloadMethod.Name == nameof(ImageSlotBenchmarks.Engine);
            if (Measured.MedianNs(summary, c) is not { } ns)
            {
                continue;
            }

            var ms = ns / 1e6;
            rows.Add((
                string.Create(Invariant, $"{c.Descriptor.WorkloadMethod.Name} N={n}, {ImageSlotRunner.SlotsFor(n)} image slots: wall / (image time / limit), wall / own schedule under the limit"),
                string.Create(Invariant, $"{ms / ImageSlotBenchmarks.ImageBound(n).TotalMilliseconds:0.000}, {ms / ImageSlotBenchmarks.OwnBound(n, promote).TotalMilliseconds:0.000}"),
                "information"));
        }
    }

    private static void TimeToFirstResultRows(IReadOnlyList<Summary> summaries, List<(string, string, string)> rows)
    {
        foreach (var (_, c) in Cases(summaries, typeof(ExtractionModeBenchmarks), nameof(ExtractionModeBenchmarks.Atomic)))
        {
            var timers = Measured.Param<TimerKind>(c, nameof(ExtractionModeBenchmarks.Timers));
            var runs = ExtractionTimeline.Of(ExtractionModeBenchmarks.Key(nameof(ExtractionModeBenchmarks.Atomic), timers));
            if (runs.Count == 0)
            {
                continue;
            }

            var over = ExtractionModeBenchmarks.Median(runs.Select(r => r.First.TotalMilliseconds)) - ExtractionModeBenchmarks.FastestLatencyMs;
            var engine = ExtractionModeBenchmarks.Median(runs.Select(r => (r.FirstDispatch + r.FirstDeliveryLag).TotalMilliseconds));
            rows.Add((
                string.Create(Invariant, $"Atomic extraction, {timers} timers: first result <= fastest latency + 0.5 ms"),
                string.Create(Invariant, $"+{over:0.00} ms (engine's share: {engine:0.00} ms)"),
                over <= 0.5 ? "met" : engine <= 0.5 ? "not met; the engine's share is met" : "not met"));
        }
    }

    private static void OverheadRows(IReadOnlyList<Summary> summaries, List<(string, string, string)> rows)
    {
        var lanes = Cases(summaries, typeof(BeamOverheadBenchmarks), nameof(BeamOverheadBenchmarks.NullProviders))
            .Select(x => (N: Measured.Param<int>(x.Case, nameof(BeamOverheadBenchmarks.N)), x.Summary, x.Case))
            .Where(x => Measured.MeanNs(x.Summary, x.Case) is not null)
            .OrderBy(x => x.N)
            .ToList();
        if (lanes.Count > 0)
        {
            var perLane = lanes.Select(x => (x.N, Us: Measured.MeanNs(x.Summary, x.Case)!.Value / 1e3 / (x.N * BeamScenario.Iterations),
                Bytes: (double)(Measured.AllocatedBytes(x.Summary, x.Case) ?? 0) / (x.N * BeamScenario.Iterations))).ToList();
            var largest = perLane[^1];
            rows.Add((string.Create(Invariant, $"Beam overhead at N={largest.N}: <= 5 us per lane"), string.Create(Invariant, $"{largest.Us:0.00} us"), largest.Us <= 5 ? "met" : "not met"));
            rows.Add((string.Create(Invariant, $"Beam overhead at N={largest.N}: <= 4 KB allocated per lane"), string.Create(Invariant, $"{largest.Bytes:0} B"), largest.Bytes <= 4096 ? "met" : "not met"));
            rows.Add(("Beam overhead: cost per lane flat as N grows (linear total)",
                string.Join(", ", perLane.Select(x => string.Create(Invariant, $"N={x.N}: {x.Us:0.00} us"))),
                Growth(perLane.Select(x => x.Us))));
        }

        foreach (var method in new[] { nameof(ExtractionOverheadBenchmarks.Atomic), nameof(ExtractionOverheadBenchmarks.Tiered) })
        {
            var cases = Cases(summaries, typeof(ExtractionOverheadBenchmarks), method)
                .Select(x => (Count: Measured.Param<int>(x.Case, nameof(ExtractionOverheadBenchmarks.Extractors)), x.Summary, x.Case))
                .Where(x => Measured.MeanNs(x.Summary, x.Case) is not null)
                .OrderBy(x => x.Count)
                .ToList();
            if (cases.Count == 0)
            {
                continue;
            }

            var perExtractor = cases.Select(x => (x.Count, Us: Measured.MeanNs(x.Summary, x.Case)!.Value / 1e3 / x.Count)).ToList();
            var largest = perExtractor[^1];
            rows.Add((string.Create(Invariant, $"{method} extraction overhead at {largest.Count} extractors: <= 10 us per extractor"),
                string.Create(Invariant, $"{largest.Us:0.00} us"), largest.Us <= 10 ? "met" : "not met"));
            rows.Add((string.Create(Invariant, $"{method} extraction overhead: cost per extractor flat as the count grows"),
                string.Join(", ", perExtractor.Select(x => string.Create(Invariant, $"{x.Count}: {x.Us:0.00} us"))),
                Growth(perExtractor.Skip(1).Select(x => x.Us))));
        }
    }

    /// <summary>Linear total cost means a flat cost per unit; allow 1.5 x between the cheapest and dearest sizes for noise.</summary>
    private static string Growth(IEnumerable<double> perUnit)
    {
        var values = perUnit.ToArray();
        if (values.Length < 2)
        {
            return "-";
        }

        var spread = values.Max() / values.Min();
        return string.Create(Invariant, $"{(spread <= 1.5 ? "linear" : "not linear")} (max/min per unit {spread:0.00})");
    }

    private static IEnumerable<(Summary Summary, BenchmarkCase Case)> Cases(IReadOnlyList<Summary> summaries, Type type, string? method) =>
        from summary in summaries
        from c in summary.BenchmarksCases
        where c.Descriptor.Type == type && (method is null || c.Descriptor.WorkloadMethod.Name == method)
        select (summary, c);
}
