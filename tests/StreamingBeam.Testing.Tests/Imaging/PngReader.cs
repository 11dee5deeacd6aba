using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace StreamingBeam.Testing.Tests;

/// <summary>An independent PNG reader for tests: checks the signature and every chunk's CRC, inflates the IDAT data
/// and reverses the five scanline filters. Written separately from the encoder so that each checks the other.</summary>
internal static class PngReader
{
    public static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    public sealed record Chunk(string Type, byte[] Data, uint StoredCrc, uint ComputedCrc);

    public sealed record Image(int Width, int Height, int BytesPerPixel, byte[] Pixels, byte[] Inflated, List<Chunk> Chunks);

    public static List<Chunk> Chunks(byte[] png)
    {
        Assert.True(png.AsSpan(0, 8).SequenceEqual(Signature), "The PNG signature is wrong.");
        var chunks = new List<Chunk>();
        var offset = 8;
        while (offset < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png.AsSpan(offset + 8, length).ToArray();
            var stored = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            var computed = BitwiseCrc32(png.AsSpan(offset + 4, 4 + length));
            chunks.Add(new Chunk(type, data, stored, computed));
            offset += 12 + length;
        }

        Assert.Equal(png.Length, offset);
        return chunks;
    }

    public static Image Read(byte[] png)
    {
        var chunks = Chunks(png);
        Assert.All(chunks, c => Assert.True(c.StoredCrc == c.ComputedCrc, $"Chunk {c.Type} has CRC {c.StoredCrc:x8}, expected {c.ComputedCrc:x8}."));
        Assert.Equal("IHDR", chunks[0].Type);
        Assert.Equal("IEND", chunks[^1].Type);
        Assert.Empty(chunks[^1].Data);

        var header = chunks[0].Data;
        var width = BinaryPrimitives.ReadInt32BigEndian(header);
        var height = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
        Assert.Equal(8, header[8]);
        var bpp = header[9] switch { 2 => 3, 6 => 4, _ => throw new InvalidDataException($"Unexpected colour type {header[9]}.") };

        using var compressed = new MemoryStream(chunks.Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray());
        using var zlib = new ZLibStream(compressed, CompressionMode.Decompress);
        using var inflated = new MemoryStream();
        zlib.CopyTo(inflated);
        var raw = inflated.ToArray();
        var stride = width * bpp;
        Assert.Equal(height * (stride + 1), raw.Length);

        var pixels = new byte[height * stride];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            for (var x = 0; x < stride; x++)
            {
                int a = x >= bpp ? pixels[(y * stride) + x - bpp] : 0;
                int b = y > 0 ? pixels[((y - 1) * stride) + x] : 0;
                int c = x >= bpp && y > 0 ? pixels[((y - 1) * stride) + x - bpp] : 0;
                var predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => PaethPredictor(a, b, c),
                    _ => throw new InvalidDataException($"Unknown filter {filter} on row {y}."),
                };
                pixels[(y * stride) + x] = (byte)(raw[(y * (stride + 1)) + 1 + x] + predictor);
            }
        }

        return new Image(width, height, bpp, pixels, raw, chunks);
    }

    /// <summary>CRC-32 computed bit by bit, without a table, to check the encoder's table-driven one.</summary>
    public static uint BitwiseCrc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
            }
        }

        return ~crc;
    }

    private static int PaethPredictor(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
