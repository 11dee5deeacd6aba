using StreamingBeam.Benchmarks.Extraction;
using StreamingBeam.Benchmarks.Reporting;

namespace StreamingBeam.Benchmarks.Tests;

public class ExtractionReportTests
{
    [Fact]
    public async Task Build_AfterRecordedRuns_HasARowPerExtractorAndTheFirstAndLastResults()
    {
        var benchmarks = new ExtractionModeBenchmarks { LatencyScale = 0.01 };
        benchmarks.Setup();
        await benchmarks.Atomic();
        await benchmarks.Tiered();
        benchmarks.Dispose();

        var report = ExtractionReport.Build();

        Assert.NotNull(report);
        foreach (var mode in new[] { "Atomic/System", "Tiered/System" })
        {
            foreach (var (name, _, _) in ExtractionScenario.Extractors)
            {
                Assert.Contains($"| {mode} | {name} |", report, StringComparison.Ordinal);
            }

            Assert.Contains($"| {mode} | **first result** |", report, StringComparison.Ordinal);
            Assert.Contains($"| {mode} | **all results** |", report, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(new[] { 3.0 }, 3.0)]
    [InlineData(new[] { 5.0, 1.0, 3.0 }, 3.0)]
    [InlineData(new[] { 4.0, 1.0, 2.0, 3.0 }, 2.5)]
    public void Median_Values_IsTheMiddleValueOrTheMeanOfTheMiddleTwo(double[] values, double expected) =>
        Assert.Equal(expected, ExtractionModeBenchmarks.Median(values));
}
