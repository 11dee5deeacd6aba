using System.Globalization;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace StreamingBeam.Benchmarks.Reporting;

/// <summary>Reads measurements and parameters out of a BenchmarkDotNet summary.</summary>
internal static class Measured
{
    public const string Missing = "-";

    public static T Param<T>(BenchmarkCase benchmarkCase, string name) =>
        benchmarkCase.Parameters[name] is T value ? value : (T)Convert.ChangeType(benchmarkCase.Parameters[name], typeof(T), CultureInfo.InvariantCulture);

    /// <summary>Gets the median time of one operation, in nanoseconds.</summary>
    public static double? MedianNs(Summary summary, BenchmarkCase benchmarkCase) =>
        summary[benchmarkCase]?.ResultStatistics?.Median;

    /// <summary>Gets the mean time of one operation, in nanoseconds.</summary>
    public static double? MeanNs(Summary summary, BenchmarkCase benchmarkCase) =>
        summary[benchmarkCase]?.ResultStatistics?.Mean;

    /// <summary>Gets the bytes allocated by one operation.</summary>
    public static long? AllocatedBytes(Summary summary, BenchmarkCase benchmarkCase) =>
        summary[benchmarkCase]?.GcStats.GetBytesAllocatedPerOperation(benchmarkCase);

    /// <summary>Finds the case of <paramref name="method"/> with the same parameters as <paramref name="benchmarkCase"/>.</summary>
    public static BenchmarkCase? Sibling(Summary summary, BenchmarkCase benchmarkCase, string method) =>
        summary.BenchmarksCases.FirstOrDefault(c =>
            c.Descriptor.WorkloadMethod.Name == method && c.Parameters.ValueInfo == benchmarkCase.Parameters.ValueInfo);

    public static string Ms(double milliseconds) => milliseconds.ToString("0.0", CultureInfo.InvariantCulture);

    public static string Ms2(double milliseconds) => milliseconds.ToString("0.00", CultureInfo.InvariantCulture);

    public static string Ratio(double ratio) => ratio.ToString("0.000", CultureInfo.InvariantCulture);

    public static string Us(double microseconds) => microseconds.ToString("0.00", CultureInfo.InvariantCulture);

    public static string Bytes(double bytes) => bytes.ToString("0", CultureInfo.InvariantCulture);
}
