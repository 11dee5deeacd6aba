using StreamingBeam.Samples.Console.Extractors;
using StreamingBeam.Samples.Console.Imaging;
using StreamingBeam.Testing;

namespace StreamingBeam.Samples.Web.Extraction;

/// <summary>The console sample's extraction set: four real image extractors (aspect ratio, brightness and contrast,
/// palette, edge density) on the upload's one decode, plus two simulated slow AI extractors.</summary>
internal sealed class SampleExtractionEngineFactory : IExtractionEngineFactory
{
    private const long Seed = 42;

    private static readonly SimulatedExtractorOptions AiOptions = new()
    {
        Latency = LatencyDistribution.LogNormal(TimeSpan.FromMilliseconds(900), 0.3),
        CostPerCall = 0.002m,
    };

    private readonly ILoggerFactory _loggerFactory;

    public SampleExtractionEngineFactory(ILoggerFactory loggerFactory) => _loggerFactory = loggerFactory;

    public ExtractionEngine Create(DecodedImage image) => Create(
        image,
        [
            new ExtractorRegistration(new SimulatedExtractor("clip-style", Seed, AiOptions), new ExtractorOptions { Weight = 0.5 }),
            new ExtractorRegistration(new SimulatedExtractor("vlm-caption", Seed + 1, AiOptions), new ExtractorOptions { Weight = 0.5 }),
        ],
        _loggerFactory);

    /// <summary>Builds an engine from the real image extractors plus <paramref name="extra"/> (tests pass gated fakes),
    /// whose shared decoded-image artifact is <paramref name="image"/>: the upload was decoded once, when it was checked.</summary>
    public static ExtractionEngine Create(DecodedImage image, IEnumerable<ExtractorRegistration> extra, ILoggerFactory? loggerFactory = null)
    {
        IExtractor[] real = [new AspectRatioExtractor(), new BrightnessContrastExtractor(), new PaletteExtractor(), new EdgeDensityExtractor()];
        var decode = new PreprocessorRegistration<DecodedImage>(
            SampleArtifacts.DecodedImage,
            (_, _) => ValueTask.FromResult(image));
        return new ExtractionEngine(real.Select(e => new ExtractorRegistration(e)).Concat(extra), [decode], loggerFactory: loggerFactory);
    }
}
