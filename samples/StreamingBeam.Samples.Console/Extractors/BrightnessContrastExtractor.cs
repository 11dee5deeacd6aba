using System.Text.Json.Nodes;
using StreamingBeam.Samples.Console.Imaging;

namespace StreamingBeam.Samples.Console.Extractors;

/// <summary>Measures brightness (mean luma) and contrast (standard deviation of luma, the RMS contrast), both in [0, 1].</summary>
/// <remarks>A half-black, half-white image has brightness 0.5 and contrast 0.5, the largest contrast possible.</remarks>
internal sealed class BrightnessContrastExtractor : ImageExtractor
{
    public override string Name => "brightness";

    public override JsonObject Analyze(DecodedImage image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        cancellationToken.ThrowIfCancellationRequested();
        var luma = image.Luma;
        double sum = 0;
        foreach (var value in luma)
        {
            sum += value;
        }

        var mean = sum / luma.Length;
        double squares = 0;
        foreach (var value in luma)
        {
            squares += (value - mean) * (value - mean);
        }

        var contrast = Math.Sqrt(squares / luma.Length);
        return new JsonObject
        {
            ["mean"] = Round(mean),
            ["contrast"] = Round(contrast),
            ["level"] = mean < 0.3 ? "dark" : mean > 0.7 ? "bright" : "balanced",
        };
    }
}
