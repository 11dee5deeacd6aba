using System.Text.Json.Nodes;
using StreamingBeam.Samples.Console.Cli;
using StreamingBeam.Testing;

namespace StreamingBeam.Samples.Console.Tests;

public sealed class ExtractCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sb-extract-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task RealImage_PrintsEveryResultAsItLands_ThenTheTimelineAndTheMergedDocument()
    {
        var path = Path.Combine(_directory, "split.png");
        await File.WriteAllBytesAsync(path, TestImages.HalfBlackHalfWhite(64, 48));

        var (exit, output, _) = await RunAsync(path);

        Assert.Equal(0, exit);
        foreach (var name in new[] { "aspect", "brightness", "palette", "edges", "clip-style", "vlm-caption" })
        {
            Assert.Contains($" {name}", output, StringComparison.Ordinal);
        }

        Assert.Contains("6/6", output, StringComparison.Ordinal);
        Assert.Contains("Timeline:", output, StringComparison.Ordinal);
        var document = JsonNode.Parse(output[output.IndexOf('{', output.IndexOf("Merged document:", StringComparison.Ordinal))..])!.AsObject();
        Assert.Equal(64, document["aspect"]!["width"]!.GetValue<int>());
        Assert.Equal("landscape", document["aspect"]!["orientation"]!.GetValue<string>());
        Assert.Equal(2, document["palette"]!["colors"]!.AsArray().Count);
        Assert.NotNull(document["vlm-caption"]);

        // Every name, however long ("vlm-caption"), leaves the columns after it aligned.
        var live = output.Split('\n').Where(l => l.StartsWith('[') && l.Contains(" ms] ", StringComparison.Ordinal)).ToList();
        var timeline = output[output.IndexOf("Timeline:", StringComparison.Ordinal)..output.IndexOf("Merged document:", StringComparison.Ordinal)]
            .Split('\n').Where(l => l.StartsWith("  ", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, live.Count);
        Assert.Equal(6, timeline.Count);
        Assert.Single(live.Select(l => l.IndexOfAny(['S', 'F', 'T'], l.IndexOf('/', StringComparison.Ordinal) + 3)).Distinct());
        Assert.Single(timeline.Select(l => l.IndexOfAny(['·', '●'])).Distinct());
    }

    [Fact]
    public async Task JpegImage_IsDecodedAndAnalysed()
    {
        const int width = 40, height = 80;
        var pixels = new byte[width * height * 3];
        for (var i = 0; i < pixels.Length; i += 3)
        {
            pixels[i] = 200;
        }

        var path = Path.Combine(_directory, "red.jpg");
        using (var stream = File.Create(path))
        {
            new StbImageWriteSharp.ImageWriter().WriteJpg(pixels, width, height, StbImageWriteSharp.ColorComponents.RedGreenBlue, stream, 90);
        }

        var (exit, output, _) = await RunAsync(path);

        Assert.Equal(0, exit);
        var document = JsonNode.Parse(output[output.IndexOf('{', output.IndexOf("Merged document:", StringComparison.Ordinal))..])!.AsObject();
        Assert.Equal("portrait", document["aspect"]!["orientation"]!.GetValue<string>());
        Assert.StartsWith("#C", document["palette"]!["colors"]![0]!["hex"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingFile_IsAClearErrorWithAUsageExitCode()
    {
        var (exit, _, error) = await RunAsync(Path.Combine(_directory, "nope.png"));

        Assert.Equal(SampleApp.UsageError, exit);
        Assert.Contains("does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreadableImage_IsAClearErrorWithAUsageExitCode()
    {
        var path = Path.Combine(_directory, "text.png");
        await File.WriteAllTextAsync(path, "not an image");

        var (exit, _, error) = await RunAsync(path);

        Assert.Equal(SampleApp.UsageError, exit);
        Assert.Contains("is not a decodable image", error, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string path)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var instant = new SimulatedExtractorOptions { Latency = LatencyDistribution.Zero };
        var exit = await ExtractCommand.RunAsync(
            new SampleCommand { Kind = SampleCommandKind.Extract, ImagePath = path }, output, error, CancellationToken.None, instant);
        return (exit, output.ToString(), error.ToString());
    }
}
