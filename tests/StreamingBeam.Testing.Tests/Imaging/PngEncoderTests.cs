namespace StreamingBeam.Testing.Tests.Imaging;

public class PngEncoderTests
{
    private static byte[] Pattern(int width, int height, int bpp)
    {
        // Gradients, flat areas and noise, so that every filter type wins on some row.
        var pixels = new byte[width * height * bpp];
        var random = new Random(1234);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                for (var c = 0; c < bpp; c++)
                {
                    var i = (((y * width) + x) * bpp) + c;
                    pixels[i] = (y % 4) switch
                    {
                        0 => (byte)(x * 3 + c * 40),
                        1 => (byte)(y * 5 + c),
                        2 => (byte)random.Next(256),
                        _ => (byte)((x + y) * 2 + c * 17),
                    };
                }
            }
        }

        return pixels;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(37, 23)]
    [InlineData(256, 256)]
    public void EncodeRgb_RoundTripsThroughAnIndependentDecoder(int width, int height)
    {
        var pixels = Pattern(width, height, 3);

        var png = PngEncoder.EncodeRgb(pixels, width, height);

        var image = PngReader.Read(png);
        Assert.Equal(width, image.Width);
        Assert.Equal(height, image.Height);
        Assert.Equal(3, image.BytesPerPixel);
        Assert.Equal(height * ((width * 3) + 1), image.Inflated.Length);
        Assert.Equal(pixels, image.Pixels);
    }

    [Fact]
    public void EncodeRgba_RoundTripsWithAlpha()
    {
        var pixels = Pattern(19, 11, 4);

        var image = PngReader.Read(PngEncoder.EncodeRgba(pixels, 19, 11));

        Assert.Equal(4, image.BytesPerPixel);
        Assert.Equal(pixels, image.Pixels);
    }

    [Fact]
    public void Encode_WritesSignatureHeaderDataAndEndChunksWithValidCrcs()
    {
        var png = PngEncoder.EncodeRgb(Pattern(8, 8, 3), 8, 8);

        Assert.Equal(PngReader.Signature, png[..8]);
        var chunks = PngReader.Chunks(png);
        Assert.Equal(["IHDR", "IDAT", "IEND"], chunks.Select(c => c.Type));
        Assert.All(chunks, c => Assert.Equal(c.ComputedCrc, c.StoredCrc));
        Assert.Equal(13, chunks[0].Data.Length);
    }

    [Fact]
    public void Encode_UsesSeveralFilterTypesOnMixedContent()
    {
        var image = PngReader.Read(PngEncoder.EncodeRgb(Pattern(64, 64, 3), 64, 64));

        var filters = Enumerable.Range(0, 64).Select(y => image.Inflated[y * ((64 * 3) + 1)]).Distinct().Count();
        Assert.True(filters >= 2, $"Only {filters} filter type was used.");
    }

    [Fact]
    public void Crc32_MatchesTheBitwiseReference()
    {
        var bytes = "IEND"u8.ToArray();

        Assert.Equal(PngReader.BitwiseCrc32(bytes), Crc32.Compute(bytes));
        Assert.Equal(PngReader.BitwiseCrc32("123456789"u8), Crc32.Compute("123456789"u8));
    }

    [Fact]
    public void Encode_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PngEncoder.EncodeRgb(new byte[3], 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PngEncoder.EncodeRgb(new byte[3], 1, -1));
        var ex = Assert.Throws<ArgumentException>(() => PngEncoder.EncodeRgb(new byte[10], 2, 2));
        Assert.Equal("pixels", ex.ParamName);
        Assert.Contains("needs 12 bytes; got 10", ex.Message, StringComparison.Ordinal);
    }
}
