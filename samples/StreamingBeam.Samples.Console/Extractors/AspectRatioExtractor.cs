using System.Text.Json.Nodes;
using StreamingBeam.Samples.Console.Imaging;

namespace StreamingBeam.Samples.Console.Extractors;

/// <summary>Reports the image's size, aspect ratio, orientation and the nearest common ratio (1:1, 4:3, 16:9 ...).</summary>
internal sealed class AspectRatioExtractor : ImageExtractor
{
    private static readonly (string Name, double Ratio)[] CommonRatios =
    [
        ("1:1", 1), ("5:4", 5 / 4.0), ("4:3", 4 / 3.0), ("3:2", 3 / 2.0), ("16:10", 16 / 10.0), ("16:9", 16 / 9.0), ("21:9", 21 / 9.0),
        ("4:5", 4 / 5.0), ("3:4", 3 / 4.0), ("2:3", 2 / 3.0), ("9:16", 9 / 16.0),
    ];

    public override string Name => "aspect";

    public override JsonObject Analyze(DecodedImage image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        var ratio = image.Width / (double)image.Height;
        var nearest = CommonRatios.MinBy(common => Math.Abs(Math.Log(ratio / common.Ratio))).Name;
        return new JsonObject
        {
            ["width"] = image.Width,
            ["height"] = image.Height,
            ["ratio"] = Round(ratio),
            ["orientation"] = image.Width == image.Height ? "square" : image.Width > image.Height ? "landscape" : "portrait",
            ["nearest"] = nearest,
        };
    }
}
