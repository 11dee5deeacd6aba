using BenchmarkDotNet.Running;
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

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args).ToList();
        if (ExtractionReport.Build() is { } report)
        {
            Console.WriteLine();
            Console.WriteLine(report);
            var folder = summaries.Select(s => s.ResultsDirectoryPath).FirstOrDefault(p => !string.IsNullOrEmpty(p))
                ?? Path.Combine("BenchmarkDotNet.Artifacts", "results");
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, "ExtractionTimeToEachResult.md");
            await File.WriteAllTextAsync(path, report);
            Console.WriteLine($"Written to {path}");
        }

        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
