using StreamingBeam.Testing;

namespace StreamingBeam.Samples.Console.Tests;

/// <summary>Images the tests paint and encode with the Testing package's PNG encoder.</summary>
internal static class TestImages
{
    public static byte[] Solid(int width, int height, byte r, byte g, byte b) =>
        Paint(width, height, (_, _) => (r, g, b));

    /// <summary>Black on the left half, white on the right half.</summary>
    public static byte[] HalfBlackHalfWhite(int width, int height) =>
        Paint(width, height, (x, _) => x < width / 2 ? ((byte)0, (byte)0, (byte)0) : ((byte)255, (byte)255, (byte)255));

    /// <summary>Black on the top half, white on the bottom half.</summary>
    public static byte[] TopBlackBottomWhite(int width, int height) =>
        Paint(width, height, (_, y) => y < height / 2 ? ((byte)0, (byte)0, (byte)0) : ((byte)255, (byte)255, (byte)255));

    public static byte[] Paint(int width, int height, Func<int, int, (byte R, byte G, byte B)> colour)
    {
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var (r, g, b) = colour(x, y);
                var i = ((y * width) + x) * 3;
                pixels[i] = r;
                pixels[i + 1] = g;
                pixels[i + 2] = b;
            }
        }

        return PngEncoder.EncodeRgb(pixels, width, height);
    }
}
