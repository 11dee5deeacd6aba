using System.Text.Json.Nodes;
using StreamingBeam.Samples.Console.Imaging;

namespace StreamingBeam.Samples.Console.Extractors;

/// <summary>Measures how much of the image is edges: the share of pixels whose Sobel gradient magnitude on luma is at
/// least a threshold, with where the edges lie and which way they run.</summary>
/// <remarks>
/// The magnitude is divided by 4, so a sharp black-to-white step scores 1 and flat areas 0; borders repeat their
/// outermost pixels. <c>direction</c> is <c>vertical</c> when horizontal gradients (edges running up and down)
/// outweigh vertical ones more than twice, <c>horizontal</c> for the reverse, <c>mixed</c> otherwise, and
/// <c>none</c> when no pixel passes the threshold. <c>centroid</c> is the edge pixels' mean position, each
/// coordinate in [0, 1] from the left and the top.
/// </remarks>
internal sealed class EdgeDensityExtractor : ImageExtractor
{
    public const double DefaultThreshold = 0.25;

    public EdgeDensityExtractor(double threshold = DefaultThreshold)
    {
        if (!(threshold > 0 && threshold <= 1.5))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The edge threshold must be greater than 0 and at most 1.5 (a diagonal step reaches about 1.41).");
        }

        Threshold = threshold;
    }

    public double Threshold { get; }

    public override string Name => "edges";

    public override JsonObject Analyze(DecodedImage image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        var luma = image.Luma;
        int w = image.Width, h = image.Height;
        long edges = 0;
        double sumX = 0, sumY = 0, gradientX = 0, gradientY = 0;
        for (var y = 0; y < h; y++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var up = Math.Max(y - 1, 0) * w;
            var row = y * w;
            var down = Math.Min(y + 1, h - 1) * w;
            for (var x = 0; x < w; x++)
            {
                var left = Math.Max(x - 1, 0);
                var right = Math.Min(x + 1, w - 1);
                var gx = (luma[up + right] + (2 * luma[row + right]) + luma[down + right])
                       - (luma[up + left] + (2 * luma[row + left]) + luma[down + left]);
                var gy = (luma[down + left] + (2 * luma[down + x]) + luma[down + right])
                       - (luma[up + left] + (2 * luma[up + x]) + luma[up + right]);
                var magnitude = Math.Sqrt((gx * gx) + (gy * gy)) / 4;
                if (magnitude >= Threshold)
                {
                    edges++;
                    sumX += x + 0.5;
                    sumY += y + 0.5;
                    gradientX += Math.Abs(gx);
                    gradientY += Math.Abs(gy);
                }
            }
        }

        var result = new JsonObject
        {
            ["density"] = Round(edges / (double)image.PixelCount, 6),
            ["threshold"] = Threshold,
            ["direction"] = edges == 0 ? "none" : gradientX > 2 * gradientY ? "vertical" : gradientY > 2 * gradientX ? "horizontal" : "mixed",
        };
        if (edges > 0)
        {
            result["centroid"] = new JsonObject { ["x"] = Round(sumX / edges / w), ["y"] = Round(sumY / edges / h) };
        }

        return result;
    }
}
