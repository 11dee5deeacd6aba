using System.Globalization;
using System.Text.Json.Nodes;
using StreamingBeam.Samples.Console.Imaging;

namespace StreamingBeam.Samples.Console.Extractors;

/// <summary>Finds the image's dominant colours by median cut: up to five colours, as hex, with the share of pixels each stands for.</summary>
/// <remarks>
/// Pixels go into a 32 × 32 × 32 histogram (5 bits per channel). Median cut then splits, while fewer than
/// <see cref="MaxColors"/> boxes exist, the box with the most pixels times the widest channel range, at the
/// pixel-weighted median of that channel. Each box's colour is the exact mean of its pixels, so a solid image
/// reports its own colour, not a bin centre.
/// </remarks>
internal sealed class PaletteExtractor : ImageExtractor
{
    public const int MaxColors = 5;

    private const int Bits = 5;
    private const int Levels = 1 << Bits;

    public override string Name => "palette";

    public override JsonObject Analyze(DecodedImage image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        var counts = new long[Levels * Levels * Levels];
        var sums = new long[counts.Length * 3];
        var pixels = image.Pixels;
        for (var y = 0; y < image.Height; y++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var x = 0; x < image.Width; x++)
            {
                var i = ((y * image.Width) + x) * 3;
                var bin = Bin(pixels[i] >> (8 - Bits), pixels[i + 1] >> (8 - Bits), pixels[i + 2] >> (8 - Bits));
                counts[bin]++;
                sums[bin * 3] += pixels[i];
                sums[(bin * 3) + 1] += pixels[i + 1];
                sums[(bin * 3) + 2] += pixels[i + 2];
            }
        }

        var boxes = new List<List<int>> { Enumerable.Range(0, counts.Length).Where(b => counts[b] > 0).ToList() };
        while (boxes.Count < MaxColors)
        {
            var (index, channel) = ChooseBoxToSplit(boxes, counts);
            if (index < 0)
            {
                break;
            }

            var (low, high) = Split(boxes[index], channel, counts);
            boxes[index] = low;
            boxes.Add(high);
        }

        var total = (double)image.PixelCount;
        var colors = boxes
            .Select(box =>
            {
                long n = 0, r = 0, g = 0, b = 0;
                foreach (var bin in box)
                {
                    n += counts[bin];
                    r += sums[bin * 3];
                    g += sums[(bin * 3) + 1];
                    b += sums[(bin * 3) + 2];
                }

                return (Hex: Hex(r, g, b, n), Count: n);
            })
            .OrderByDescending(c => c.Count)
            .ThenBy(c => c.Hex, StringComparer.Ordinal)
            .ToList();

        var array = new JsonArray();
        foreach (var (hex, count) in colors)
        {
            array.Add(new JsonObject { ["hex"] = hex, ["share"] = Round(count / total) });
        }

        return new JsonObject { ["colors"] = array };
    }

    private static (int Index, int Channel) ChooseBoxToSplit(List<List<int>> boxes, long[] counts)
    {
        var best = (Index: -1, Channel: 0);
        double bestScore = 0;
        for (var i = 0; i < boxes.Count; i++)
        {
            if (boxes[i].Count < 2)
            {
                continue;
            }

            var (channel, range) = WidestChannel(boxes[i]);
            var population = boxes[i].Sum(bin => counts[bin]);
            var score = (double)population * range;
            if (score > bestScore)
            {
                bestScore = score;
                best = (i, channel);
            }
        }

        return best;
    }

    private static (int Channel, int Range) WidestChannel(List<int> box)
    {
        var best = (Channel: 0, Range: -1);
        for (var channel = 0; channel < 3; channel++)
        {
            var min = int.MaxValue;
            var max = int.MinValue;
            foreach (var bin in box)
            {
                var value = Component(bin, channel);
                min = Math.Min(min, value);
                max = Math.Max(max, value);
            }

            if (max - min > best.Range)
            {
                best = (channel, max - min);
            }
        }

        return best;
    }

    private static (List<int> Low, List<int> High) Split(List<int> box, int channel, long[] counts)
    {
        var sorted = box.OrderBy(bin => Component(bin, channel)).ThenBy(bin => bin).ToList();
        var half = sorted.Sum(bin => counts[bin]) / 2.0;
        long running = 0;
        var cut = 1;
        for (var k = 0; k < sorted.Count - 1; k++)
        {
            running += counts[sorted[k]];
            cut = k + 1;
            if (running >= half)
            {
                break;
            }
        }

        // Never split between two bins with the same value on the channel: move the cut to the next change.
        while (cut < sorted.Count && Component(sorted[cut], channel) == Component(sorted[cut - 1], channel))
        {
            cut++;
        }

        if (cut == sorted.Count)
        {
            cut = sorted.FindIndex(bin => Component(bin, channel) == Component(sorted[^1], channel));
        }

        return (sorted.Take(cut).ToList(), sorted.Skip(cut).ToList());
    }

    private static int Bin(int r, int g, int b) => (r << (2 * Bits)) | (g << Bits) | b;

    private static int Component(int bin, int channel) => (bin >> ((2 - channel) * Bits)) & (Levels - 1);

    private static string Hex(long r, long g, long b, long n) => string.Create(CultureInfo.InvariantCulture,
        $"#{(int)Math.Round((double)r / n):X2}{(int)Math.Round((double)g / n):X2}{(int)Math.Round((double)b / n):X2}");
}
