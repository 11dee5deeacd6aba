using System.Text.Json;
using StreamingBeam.Samples.Console.Cli;
using StreamingBeam.Samples.Console.Extractors;
using StreamingBeam.Samples.Console.Imaging;
using StreamingBeam.Testing;

namespace StreamingBeam.Samples.Console;

/// <summary>Runs atomic extraction over an image: four real extractors and two simulated slow AI extractors, each
/// result printed the moment it lands, with a progress bar, a timeline and the merged document.</summary>
internal static class ExtractCommand
{
    public static async Task<int> RunAsync(
        SampleCommand command,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken,
        SimulatedExtractorOptions? aiOptions = null)
    {
        if (Directory.Exists(command.ImagePath) || !File.Exists(command.ImagePath))
        {
            await error.WriteLineAsync(Directory.Exists(command.ImagePath)
                ? $"error: '{command.ImagePath}' is a folder; give the path of a PNG or JPEG image."
                : $"error: the image file '{command.ImagePath}' does not exist.");
            return SampleApp.UsageError;
        }

        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(command.ImagePath, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: cannot read '{command.ImagePath}': {ConsoleText.OneLine(ex.Message)}");
            return SampleApp.UsageError;
        }

        var input = new ExtractionInput { Data = bytes, Name = Path.GetFileName(command.ImagePath) };
        try
        {
            // Decode once up front as well, so that an unreadable file is a clear error rather than six failures.
            ImageDecoder.Decode(input);
        }
        catch (ImageDecodeException ex)
        {
            await error.WriteLineAsync($"error: {ConsoleText.OneLine(ex.Message, 400)}");
            return SampleApp.UsageError;
        }

        var engine = CreateEngine(command.Seed, aiOptions);
        var document = new TokenDocument();
        var timeline = new List<ExtractionUpdate>();
        var nameWidth = engine.ExtractorNames.Max(n => n.Length);
        output.WriteLine($"Extracting from {input.Name} ({bytes.Length:N0} bytes) with {engine.ExtractorNames.Count} extractors, all at once:");

        await foreach (var update in engine.ExtractStreamingAsync(input, cancellationToken: cancellationToken))
        {
            timeline.Add(update);
            document.Merge(update);
            var bar = ProgressBar(update.Completed, update.Total);
            var detail = update.Status switch
            {
                ExtractionStatus.Succeeded or ExtractionStatus.Provisional => Compact(update.Tokens),
                ExtractionStatus.Failed or ExtractionStatus.TimedOut => ConsoleText.OneLine(update.Error?.Message, 120),
                _ => update.SkipReason.ToString(),
            };
            output.WriteLine($"[{update.Elapsed.TotalMilliseconds,7:0.0} ms] {bar} {update.Completed}/{update.Total} {update.ExtractorName.PadRight(nameWidth)} {update.Status,-11} {detail}");
        }

        output.WriteLine();
        output.WriteLine("Timeline:");
        var end = timeline.Count == 0 ? 1.0 : Math.Max(1.0, timeline.Max(u => u.Elapsed.TotalMilliseconds));
        foreach (var update in timeline)
        {
            var position = (int)Math.Round(update.Elapsed.TotalMilliseconds / end * 40);
            output.WriteLine($"  {update.ExtractorName.PadRight(nameWidth)} {new string('·', position)}● {update.Elapsed.TotalMilliseconds:0} ms");
        }

        output.WriteLine();
        output.WriteLine("Merged document:");
        output.WriteLine(document.Root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return timeline.Any(u => u.Status is ExtractionStatus.Succeeded) ? 0 : 1;
    }

    internal static ExtractionEngine CreateEngine(long seed, SimulatedExtractorOptions? aiOptions)
    {
        aiOptions ??= new SimulatedExtractorOptions
        {
            Latency = LatencyDistribution.LogNormal(TimeSpan.FromMilliseconds(900), 0.3),
            CostPerCall = 0.002m,
        };

        IExtractor[] real = [new AspectRatioExtractor(), new BrightnessContrastExtractor(), new PaletteExtractor(), new EdgeDensityExtractor()];
        var registrations = real.Select(e => new ExtractorRegistration(e))
            .Append(new ExtractorRegistration(new SimulatedExtractor("clip-style", seed, aiOptions), new ExtractorOptions { Weight = 0.5 }))
            .Append(new ExtractorRegistration(new SimulatedExtractor("vlm-caption", seed + 1, aiOptions), new ExtractorOptions { Weight = 0.5 }));
        var decode = new PreprocessorRegistration<DecodedImage>(
            SampleArtifacts.DecodedImage,
            static (input, _) => ValueTask.FromResult(ImageDecoder.Decode(input)));
        return new ExtractionEngine(registrations, [decode]);
    }

    private static string ProgressBar(int completed, int total)
    {
        const int width = 20;
        var filled = total == 0 ? width : completed * width / total;
        return "[" + new string('#', filled) + new string('.', width - filled) + "]";
    }

    private static string Compact(System.Text.Json.Nodes.JsonObject? tokens)
    {
        var json = tokens?.ToJsonString() ?? "{}";
        return json.Length <= 90 ? json : json[..89] + "…";
    }
}
