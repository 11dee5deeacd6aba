using System.Text.Json.Nodes;
using StreamingBeam.Samples.Console.Imaging;

namespace StreamingBeam.Samples.Console.Extractors;

/// <summary>An extractor that analyses the run's decoded image and nests its findings under its own name.</summary>
/// <remarks>
/// The decoded image comes from the run's shared artifact <see cref="SampleArtifacts.DecodedImage"/>, so an input is
/// decoded once however many image extractors run. The analysis runs on the thread pool: an engine that starts
/// every extractor at once is never held up by one of them computing.
/// </remarks>
internal abstract class ImageExtractor : IExtractor
{
    public abstract string Name { get; }

    public async Task<ExtractorOutput> ExtractAsync(ExtractionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var image = await context.GetArtifactAsync(SampleArtifacts.DecodedImage, cancellationToken);
        var findings = await Task.Run(() => Analyze(image, cancellationToken), cancellationToken);
        return new ExtractorOutput(new JsonObject { [Name] = findings });
    }

    /// <summary>Analyses the image. Implementations check <paramref name="cancellationToken"/> between rows.</summary>
    public abstract JsonObject Analyze(DecodedImage image, CancellationToken cancellationToken = default);

    protected static double Round(double value, int digits = 4) => Math.Round(value, digits, MidpointRounding.AwayFromZero);
}
