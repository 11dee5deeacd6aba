using System.Globalization;
using System.Text;
using StreamingBeam.Benchmarks.Extraction;

namespace StreamingBeam.Benchmarks.Reporting;

/// <summary>Writes the time-to-each-result table of the extraction runs the benchmark bodies recorded.</summary>
internal static class ExtractionReport
{
    public static string? Build()
    {
        var modes = new[] { nameof(ExtractionModeBenchmarks.Atomic), nameof(ExtractionModeBenchmarks.Tiered) };
        if (modes.All(m => ExtractionTimeline.Of(m).Count == 0))
        {
            return null;
        }

        var text = new StringBuilder();
        text.AppendLine("Time to each result (medians over every recorded run, in ms from the start of the run):");
        text.AppendLine();
        text.AppendLine("| Mode | Extractor | Tier | Latency | Completed | Received | Min | Max | Lag (us) |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var mode in modes)
        {
            var runs = ExtractionTimeline.Of(mode);
            if (runs.Count == 0)
            {
                continue;
            }

            foreach (var (name, latencyMs, tier) in ExtractionScenario.Extractors)
            {
                var received = runs.Select(r => r.Received[name].TotalMilliseconds).ToArray();
                var completed = runs.Select(r => r.Completed[name].TotalMilliseconds).ToArray();
                var lag = runs.Select(r => (r.Received[name] - r.Completed[name]).TotalMicroseconds);
                text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {mode} | {name} | {tier} | {latencyMs} | {ExtractionModeBenchmarks.Median(completed):0.00} | {ExtractionModeBenchmarks.Median(received):0.00} | {received.Min():0.00} | {received.Max():0.00} | {ExtractionModeBenchmarks.Median(lag):0} |"));
            }

            var first = runs.Select(r => r.First.TotalMilliseconds).ToArray();
            var last = runs.Select(r => r.Last.TotalMilliseconds).ToArray();
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {mode} | **first result** | | | | {ExtractionModeBenchmarks.Median(first):0.00} | {first.Min():0.00} | {first.Max():0.00} | |"));
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {mode} | **all results** | | | | {ExtractionModeBenchmarks.Median(last):0.00} | {last.Min():0.00} | {last.Max():0.00} | |"));
        }

        var counts = string.Join(", ", modes.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m} {ExtractionTimeline.Of(m).Count}")));
        text.AppendLine();
        text.Append("Runs recorded: ").Append(counts).AppendLine(" (including warm-up runs).");
        text.AppendLine(
            "Completed: when the extractor's own call finished (its timer fired); Received: when the consumer got the update; Lag: Received - Completed.");
        return text.ToString();
    }
}
