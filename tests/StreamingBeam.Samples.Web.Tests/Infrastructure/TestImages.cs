using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
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

    /// <summary>The same gradient as a JPEG.</summary>
    public static byte[] GradientJpeg(int width = 64, int height = 48)
    {
        var png = Gradient(width, height);
        var pixels = StbImageSharp.ImageResult.FromMemory(png, StbImageSharp.ColorComponents.RedGreenBlue).Data;
        using var stream = new MemoryStream();
        new StbImageWriteSharp.ImageWriter().WriteJpg(pixels, width, height, StbImageWriteSharp.ColorComponents.RedGreenBlue, stream, 90);
        return stream.ToArray();
    }

    /// <summary>A pixel bomb: a PNG of a few hundred bytes whose header declares <paramref name="width"/> x
    /// <paramref name="height"/> pixels (432 MB of RGB at the default 12000 x 12000). Its image data is a valid
    /// zlib stream of black rows, so only a decoder that trusts the header would pay for it.</summary>
    public static byte[] PixelBomb(int width = 12_000, int height = 12_000)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB
        WriteChunk(png, "IHDR", header);

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(new byte[1 + (width * 3)]); // one filter byte and one black row: enough to look real
        }

        WriteChunk(png, "IDAT", compressed.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(four, data.Length);
        png.Write(four);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(four, Crc32(typed));
        png.Write(four);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
