using System.Globalization;
using System.Text;
using StreamingBeam.Benchmarks.Extraction;
using StreamingBeam.Benchmarks.Timing;

namespace StreamingBeam.Benchmarks.Reporting;

/// <summary>Writes the time-to-each-result table of the extraction runs the benchmark bodies recorded.</summary>
internal static class ExtractionReport
{
    public static string? Build()
    {
        var modes = (from timers in Enum.GetValues<TimerKind>()
                     from mode in new[] { nameof(ExtractionModeBenchmarks.Atomic), nameof(ExtractionModeBenchmarks.Tiered) }
                     select ExtractionModeBenchmarks.Key(mode, timers)).ToArray();
        if (modes.All(m => ExtractionTimeline.Of(m).Count == 0))
        {
            return null;
        }

        var text = new StringBuilder();
        text.AppendLine("Time to each result (medians over every recorded run, in ms from the start of the run):");
        text.AppendLine();
        text.AppendLine("| Mode/timers | Extractor | Tier | Latency | Called | Completed | Received | Min | Max | Delivery (us) |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var mode in modes)
        {
            var runs = ExtractionTimeline.Of(mode);
            if (runs.Count == 0)
            {
                continue;
            }

            foreach (var (name, latencyMs, tier) in ExtractionScenario.Extractors)
            {
                var started = runs.Select(r => r.Started[name].TotalMilliseconds).ToArray();
                var received = runs.Select(r => r.Received[name].TotalMilliseconds).ToArray();
                var completed = runs.Select(r => r.Completed[name].TotalMilliseconds).ToArray();
                var lag = runs.Select(r => (r.Received[name] - r.Completed[name]).TotalMicroseconds);
                text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {mode} | {name} | {tier} | {latencyMs} | {ExtractionModeBenchmarks.Median(started):0.00} | {ExtractionModeBenchmarks.Median(completed):0.00} | {ExtractionModeBenchmarks.Median(received):0.00} | {received.Min():0.00} | {received.Max():0.00} | {ExtractionModeBenchmarks.Median(lag):0} |"));
            }

            var first = runs.Select(r => r.First.TotalMilliseconds).ToArray();
            var last = runs.Select(r => r.Last.TotalMilliseconds).ToArray();
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {mode} | **first result** | | | | | {ExtractionModeBenchmarks.Median(first):0.00} | {first.Min():0.00} | {first.Max():0.00} | |"));
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {mode} | **all results** | | | | | {ExtractionModeBenchmarks.Median(last):0.00} | {last.Min():0.00} | {last.Max():0.00} | |"));
        }

        var counts = string.Join(", ", modes.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m} {ExtractionTimeline.Of(m).Count}")));
        text.AppendLine();
        text.Append("Runs recorded: ").Append(counts).AppendLine(" (including warm-up runs).");
        text.AppendLine(
            "Called: when the engine called the extractor; Completed: when the extractor's own call finished (its timer fired); Received: when the consumer got the update; Delivery: Received - Completed.");
        return text.ToString();
    }
}
