using StreamingBeam.Samples.Console.Imaging;
using StreamingBeam.Testing;

namespace StreamingBeam.Samples.Console.Tests;

/// <summary>The Testing package's PNG encoder, checked against stb_image, a widely used independent decoder.</summary>
public class PngRoundTripTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 5)]
    [InlineData(64, 64)]
    public void EncodeRgb_DecodesToTheSamePixels(int width, int height)
    {
        var random = new Random(width * 1000 + height);
        var pixels = new byte[width * height * 3];
        for (var i = 0; i < pixels.Length; i++)
        {
            // Half noise, half gradient, so that several filter types are used.
            pixels[i] = i % 6 < 3 ? (byte)random.Next(256) : (byte)(i / 3 % 251);
        }

        var decoded = ImageDecoder.Decode(PngEncoder.EncodeRgb(pixels, width, height));

        Assert.Equal(width, decoded.Width);
        Assert.Equal(height, decoded.Height);
        Assert.Equal(pixels, decoded.Pixels);
    }
}
