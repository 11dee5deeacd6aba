using StreamingBeam.Samples.Console.Imaging;
using StreamingBeam.Samples.Web.Extraction;
using StreamingBeam.Testing;

namespace StreamingBeam.Samples.Web.Tests.EndToEnd;

/// <summary>The sample's real image extractors plus two gated stand-ins for its slow AI extractors, so the test
/// decides when the last results land.</summary>
internal sealed class PageExtraction : IExtractionEngineFactory
{
    public static readonly string[] Held = ["clip-style", "vlm-caption"];

    public CallGate Gate { get; } = new();

    public ExtractionEngine Create(DecodedImage image) =>
        SampleExtractionEngineFactory.Create(image, Held.Select(name => new ExtractorRegistration(new GatedExtractor(name, Gate))));
}
