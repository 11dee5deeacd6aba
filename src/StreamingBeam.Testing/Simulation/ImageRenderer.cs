namespace StreamingBeam.Testing;

/// <summary>Paints a small picture from a prompt: a gradient sky, shapes and a few motifs, in colours the prompt names.</summary>
/// <remarks>
/// Pure function of (prompt hash, prompt words, size): the same prompt always gives the same pixels. Colour words in the
/// prompt become the palette; motifs follow keywords (a sun for "dawn" or "golden", stars for "night", mountains, water).
/// </remarks>
internal static class ImageRenderer
{
    private static readonly Dictionary<string, Rgb> ColourWords = new(StringComparer.Ordinal)
    {
        ["red"] = new(214, 40, 40), ["crimson"] = new(170, 20, 50), ["orange"] = new(247, 127, 0),
        ["amber"] = new(255, 176, 46), ["yellow"] = new(252, 211, 77), ["gold"] = new(212, 175, 55),
        ["golden"] = new(230, 180, 60), ["green"] = new(56, 142, 60), ["teal"] = new(0, 128, 128),
        ["blue"] = new(33, 97, 196), ["navy"] = new(20, 33, 90), ["purple"] = new(110, 60, 160),
        ["violet"] = new(138, 90, 200), ["pink"] = new(240, 128, 170), ["pastel"] = new(200, 220, 235),
        ["brown"] = new(120, 80, 45), ["earthy"] = new(140, 110, 70), ["grey"] = new(128, 128, 128),
        ["gray"] = new(128, 128, 128), ["monochrome"] = new(150, 150, 150), ["white"] = new(240, 240, 240),
        ["snow"] = new(235, 240, 250), ["snowy"] = new(235, 240, 250), ["black"] = new(15, 15, 20),
        ["neon"] = new(57, 255, 20), ["silver"] = new(192, 192, 200), ["turquoise"] = new(64, 224, 208),
    };

    /// <summary>Renders RGB pixels, three bytes per pixel, rows from the top.</summary>
    public static byte[] Render(string prompt, ulong key, int width, int height)
    {
        var words = Vocabulary.ContentWords(prompt);
        var wordSet = new HashSet<string>(words, StringComparer.Ordinal);
        var palette = Palette(words, key);
        var pixels = new byte[width * height * 3];

        var night = wordSet.Overlaps(["night", "starry", "stars", "dusk", "midnight", "moody", "low-key"]);
        var top = night ? Mix(palette[0], new Rgb(10, 12, 35), 0.7) : palette[0];
        var bottom = palette[1];
        var angle = Draws.Uniform(key, Draws.Output, 0) * Math.PI * 2;
        Gradient(pixels, width, height, top, bottom, angle);

        if (night)
        {
            var stars = 20 + Draws.Index(key, Draws.Output, 1, 40);
            for (var s = 0; s < stars; s++)
            {
                var x = Draws.Uniform(key, Draws.Output, 100 + s) * width;
                var y = Draws.Uniform(key, Draws.Output, 200 + s) * height * 0.6;
                Circle(pixels, width, height, x, y, Math.Max(0.8, width / 200.0), new Rgb(255, 255, 230), 0.9);
            }
        }

        if (wordSet.Overlaps(["dawn", "sun", "sunset", "sunrise", "golden", "summer", "warm", "amber"]))
        {
            var x = (0.2 + 0.6 * Draws.Uniform(key, Draws.Output, 2)) * width;
            Circle(pixels, width, height, x, height * 0.3, width * 0.12, new Rgb(255, 214, 102), 0.9);
        }

        if (wordSet.Overlaps(["mountain", "mountains", "cliff", "peak", "peaks", "hills"]))
        {
            var peaks = 2 + Draws.Index(key, Draws.Output, 3, 3);
            for (var p = 0; p < peaks; p++)
            {
                var cx = Draws.Uniform(key, Draws.Output, 300 + p) * width;
                var h = (0.3 + 0.3 * Draws.Uniform(key, Draws.Output, 320 + p)) * height;
                Triangle(pixels, width, height, cx, height * 0.75 - h, width * 0.35, height * 0.75, Mix(palette[2], new Rgb(60, 60, 80), 0.5), 0.85);
            }
        }

        if (wordSet.Overlaps(["lake", "river", "sea", "ocean", "water", "reflections", "wet", "rainy"]))
        {
            Rectangle(pixels, width, height, 0, height * 0.72, width, height, Mix(palette[3], new Rgb(40, 90, 160), 0.6), 0.7);
        }

        // Abstract shapes, so that every prompt gets a distinct picture even without motifs.
        var shapes = 3 + Draws.Index(key, Draws.Output, 4, 5);
        for (var s = 0; s < shapes; s++)
        {
            var colour = palette[(2 + s) % palette.Length];
            var x = Draws.Uniform(key, Draws.Output, 400 + s) * width;
            var y = Draws.Uniform(key, Draws.Output, 420 + s) * height;
            var size = (0.05 + 0.15 * Draws.Uniform(key, Draws.Output, 440 + s)) * Math.Min(width, height);
            var alpha = 0.45 + 0.4 * Draws.Uniform(key, Draws.Output, 460 + s);
            if (Draws.Index(key, Draws.Output, 480 + s, 2) == 0)
            {
                Circle(pixels, width, height, x, y, size, colour, alpha);
            }
            else
            {
                Rectangle(pixels, width, height, x - size, y - size * 0.6, x + size, y + size * 0.6, colour, alpha);
            }
        }

        return pixels;
    }

    private static Rgb[] Palette(List<string> words, ulong key)
    {
        var named = words.Where(ColourWords.ContainsKey).Select(w => ColourWords[w]).Distinct().Take(4).ToList();
        var palette = new Rgb[4];
        for (var i = 0; i < palette.Length; i++)
        {
            palette[i] = i < named.Count
                ? named[i]
                : FromHsv(Draws.Uniform(key, Draws.Output, 10 + i) * 360, 0.35 + 0.45 * Draws.Uniform(key, Draws.Output, 20 + i),
                    0.45 + 0.5 * Draws.Uniform(key, Draws.Output, 30 + i));
        }

        if (named.Count == 1)
        {
            // One colour named: let it dominate the sky, with a lighter variant below.
            palette[1] = Mix(palette[0], new Rgb(255, 255, 255), 0.45);
        }

        return palette;
    }

    private static void Gradient(byte[] pixels, int width, int height, Rgb from, Rgb to, double angle)
    {
        var dx = Math.Cos(angle) * 0.35;
        var dy = 0.65 + Math.Sin(angle) * 0.35;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var t = Math.Clamp((x * dx / width) + (y * dy / height) + (dx < 0 ? -dx : 0), 0, 1);
                Set(pixels, (y * width) + x, Mix(from, to, t));
            }
        }
    }

    private static void Circle(byte[] pixels, int width, int height, double cx, double cy, double r, Rgb colour, double alpha)
    {
        var x0 = Math.Max(0, (int)(cx - r));
        var x1 = Math.Min(width - 1, (int)(cx + r));
        var y0 = Math.Max(0, (int)(cy - r));
        var y1 = Math.Min(height - 1, (int)(cy + r));
        for (var y = y0; y <= y1; y++)
        {
            for (var x = x0; x <= x1; x++)
            {
                var d = Math.Sqrt(((x - cx) * (x - cx)) + ((y - cy) * (y - cy)));
                if (d <= r)
                {
                    Blend(pixels, (y * width) + x, colour, alpha * Math.Clamp(r - d, 0, 1));
                }
            }
        }
    }

    private static void Rectangle(byte[] pixels, int width, int height, double left, double topEdge, double right, double bottomEdge, Rgb colour, double alpha)
    {
        for (var y = Math.Max(0, (int)topEdge); y < Math.Min(height, (int)bottomEdge); y++)
        {
            for (var x = Math.Max(0, (int)left); x < Math.Min(width, (int)right); x++)
            {
                Blend(pixels, (y * width) + x, colour, alpha);
            }
        }
    }

    private static void Triangle(byte[] pixels, int width, int height, double apexX, double apexY, double halfBase, double baseY, Rgb colour, double alpha)
    {
        for (var y = Math.Max(0, (int)apexY); y < Math.Min(height, (int)baseY); y++)
        {
            var spread = halfBase * (y - apexY) / Math.Max(1, baseY - apexY);
            for (var x = Math.Max(0, (int)(apexX - spread)); x < Math.Min(width, (int)(apexX + spread)); x++)
            {
                Blend(pixels, (y * width) + x, colour, alpha);
            }
        }
    }

    private static void Set(byte[] pixels, int index, Rgb colour)
    {
        pixels[index * 3] = colour.R;
        pixels[(index * 3) + 1] = colour.G;
        pixels[(index * 3) + 2] = colour.B;
    }

    private static void Blend(byte[] pixels, int index, Rgb colour, double alpha)
    {
        var current = new Rgb(pixels[index * 3], pixels[(index * 3) + 1], pixels[(index * 3) + 2]);
        Set(pixels, index, Mix(current, colour, alpha));
    }

    private static Rgb Mix(Rgb a, Rgb b, double t) => new(
        (byte)Math.Round(a.R + ((b.R - a.R) * t)),
        (byte)Math.Round(a.G + ((b.G - a.G) * t)),
        (byte)Math.Round(a.B + ((b.B - a.B) * t)));

    private static Rgb FromHsv(double hue, double saturation, double value)
    {
        var c = value * saturation;
        var h = hue / 60;
        var x = c * (1 - Math.Abs((h % 2) - 1));
        var (r, g, b) = (int)h switch
        {
            0 => (c, x, 0.0),
            1 => (x, c, 0.0),
            2 => (0.0, c, x),
            3 => (0.0, x, c),
            4 => (x, 0.0, c),
            _ => (c, 0.0, x),
        };
        var m = value - c;
        return new Rgb((byte)Math.Round((r + m) * 255), (byte)Math.Round((g + m) * 255), (byte)Math.Round((b + m) * 255));
    }

    private readonly record struct Rgb(byte R, byte G, byte B);
}
