using System.Buffers.Binary;
using System.IO.Compression;

namespace StreamingBeam.Testing;

/// <summary>Encodes raw 8-bit RGB or RGBA pixels as a PNG file.</summary>
/// <remarks>
/// A minimal, dependency-free encoder: signature, <c>IHDR</c>, one <c>IDAT</c> (zlib-compressed scanlines, each with
/// the filter that makes it smallest by the usual sum-of-absolute-differences heuristic) and <c>IEND</c>, every chunk
/// with its CRC-32. Enough to write images that any viewer opens; not a general image library.
/// </remarks>
public static class PngEncoder
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Encodes 8-bit RGB pixels, row by row from the top, three bytes per pixel.</summary>
    /// <param name="pixels">The pixels: <paramref name="width"/> × <paramref name="height"/> × 3 bytes.</param>
    /// <param name="width">The width in pixels, at least 1.</param>
    /// <param name="height">The height in pixels, at least 1.</param>
    /// <returns>The PNG file's bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> or <paramref name="height"/> is less than 1, or the image is too large.</exception>
    /// <exception cref="ArgumentException"><paramref name="pixels"/> does not have exactly width × height × 3 bytes.</exception>
    public static byte[] EncodeRgb(ReadOnlySpan<byte> pixels, int width, int height) => Encode(pixels, width, height, 3);

    /// <summary>Encodes 8-bit RGBA pixels (not premultiplied), row by row from the top, four bytes per pixel.</summary>
    /// <param name="pixels">The pixels: <paramref name="width"/> × <paramref name="height"/> × 4 bytes.</param>
    /// <param name="width">The width in pixels, at least 1.</param>
    /// <param name="height">The height in pixels, at least 1.</param>
    /// <returns>The PNG file's bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> or <paramref name="height"/> is less than 1, or the image is too large.</exception>
    /// <exception cref="ArgumentException"><paramref name="pixels"/> does not have exactly width × height × 4 bytes.</exception>
    public static byte[] EncodeRgba(ReadOnlySpan<byte> pixels, int width, int height) => Encode(pixels, width, height, 4);

    private static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int bytesPerPixel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        var stride = (long)width * bytesPerPixel;
        if ((stride + 1) * height > int.MaxValue / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"A {width} x {height} image is too large to encode.");
        }

        if (pixels.Length != stride * height)
        {
            throw new ArgumentException(
                $"A {width} x {height} image with {bytesPerPixel} bytes per pixel needs {stride * height} bytes; got {pixels.Length}.",
                nameof(pixels));
        }

        using var output = new MemoryStream();
        output.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8; // bit depth
        header[9] = bytesPerPixel == 3 ? (byte)2 : (byte)6; // colour type: truecolour, truecolour with alpha
        header[10] = 0; // compression: deflate
        header[11] = 0; // filter method: adaptive, five filter types
        header[12] = 0; // no interlacing
        WriteChunk(output, "IHDR"u8, header);

        WriteChunk(output, "IDAT"u8, Compress(pixels, (int)stride, height, bytesPerPixel));
        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    private static byte[] Compress(ReadOnlySpan<byte> pixels, int stride, int height, int bytesPerPixel)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            var candidates = new byte[5][];
            for (var f = 0; f < candidates.Length; f++)
            {
                candidates[f] = new byte[stride + 1];
                candidates[f][0] = (byte)f;
            }

            for (var y = 0; y < height; y++)
            {
                var row = pixels.Slice(y * stride, stride);
                var above = y == 0 ? ReadOnlySpan<byte>.Empty : pixels.Slice((y - 1) * stride, stride);
                var best = 0;
                var bestCost = long.MaxValue;
                for (var f = 0; f < candidates.Length; f++)
                {
                    var cost = Filter(f, row, above, bytesPerPixel, candidates[f].AsSpan(1));
                    if (cost < bestCost)
                    {
                        best = f;
                        bestCost = cost;
                    }
                }

                zlib.Write(candidates[best]);
            }
        }

        return compressed.ToArray();
    }

    /// <summary>Applies one PNG filter to a row and returns the sum of the filtered bytes taken as signed values.</summary>
    private static long Filter(int type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> above, int bpp, Span<byte> output)
    {
        long cost = 0;
        for (var i = 0; i < row.Length; i++)
        {
            int left = i >= bpp ? row[i - bpp] : 0;
            int up = above.IsEmpty ? 0 : above[i];
            int upLeft = i >= bpp && !above.IsEmpty ? above[i - bpp] : 0;
            var predictor = type switch
            {
                0 => 0,
                1 => left,
                2 => up,
                3 => (left + up) >> 1,
                _ => Paeth(left, up, upLeft),
            };
            var value = (byte)(row[i] - predictor);
            output[i] = value;
            cost += value < 128 ? value : 256 - value;
        }

        return cost;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc)
        {
            return a;
        }

        return pb <= pc ? b : c;
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        var crc = ~Crc32.Update(Crc32.Update(uint.MaxValue, type), data);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }
}
