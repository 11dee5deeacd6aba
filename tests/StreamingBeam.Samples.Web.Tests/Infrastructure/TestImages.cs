using StreamingBeam.Testing;

namespace StreamingBeam.Samples.Web.Tests.Infrastructure;

/// <summary>Small PNGs painted by the tests and encoded with the Testing package's encoder.</summary>
internal static class TestImages
{
    /// <summary>A gradient with a bright square, so every real extractor has something to report.</summary>
    public static byte[] Gradient(int width = 64, int height = 48)
    {
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = ((y * width) + x) * 3;
                var inSquare = x > width / 4 && x < width / 2 && y > height / 4 && y < height / 2;
                pixels[i] = inSquare ? (byte)250 : (byte)(x * 255 / width);
                pixels[i + 1] = inSquare ? (byte)240 : (byte)(y * 255 / height);
                pixels[i + 2] = (byte)((x + y) % 256);
            }
        }

        return PngEncoder.EncodeRgb(pixels, width, height);
    }
}
