using BenchmarkDotNet.Running;
using StreamingBeam.Benchmarks.Beam;
using StreamingBeam.Benchmarks.Limits;
using StreamingBeam.Benchmarks.Reporting;
using StreamingBeam.Benchmarks.Smoke;

namespace StreamingBeam.Benchmarks;

internal static class Program
{
    /// <summary>Runs the benchmarks (BenchmarkDotNet's arguments, for example <c>--filter '*'</c>), or with
    /// <c>--smoke</c> every benchmark body once with tiny sizes.</summary>
    public static async Task<int> Main(string[] args)
    {
        if (args.Contains("--smoke", StringComparer.Ordinal))
        {
            return await SmokeRunner.RunAllAsync(Console.Out);
        }

        if (args.Length > 0 && args[0] == "--schedule-probe")
        {
            return ScheduleProbe.Run(Console.Out, args[1..]);
        }

        if (args.Length > 0 && args[0] == "--quota-probe")
        {
            return await QuotaProbe.RunAsync(args[1..], Console.Out);
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args).ToList();
        var folder = summaries.Select(s => s.ResultsDirectoryPath).FirstOrDefault(p => !string.IsNullOrEmpty(p))
            ?? Path.Combine("BenchmarkDotNet.Artifacts", "results");
        await WriteReportAsync(folder, "ExtractionTimeToEachResult.md", ExtractionReport.Build());
        await WriteReportAsync(folder, "Targets.md", TargetsReport.Build(summaries));

        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }

    private static async Task WriteReportAsync(string folder, string fileName, string? report)
    {
        if (report is null)
        {
            return;
        }

        Console.WriteLine();
        Console.WriteLine(report);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, fileName);
        await File.WriteAllTextAsync(path, report);
        Console.WriteLine($"Written to {path}");
    }
}
