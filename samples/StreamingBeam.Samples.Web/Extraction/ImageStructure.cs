using System.Buffers.Binary;
using System.Globalization;

namespace StreamingBeam.Samples.Web.Extraction;

/// <summary>Checks that an encoded image is whole before it is decoded: stb_image half-decodes a JPEG that is cut
/// short (the missing rows come out grey) and reports a cut PNG with an unreadable message, so both formats are walked
/// here, chunk by chunk and segment by segment, to their end marker. Reading the structure costs no pixel memory.</summary>
internal static class ImageStructure
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Returns why the image is cut short or damaged (a phrase such as "it ends inside its IDAT chunk"), or
    /// <see langword="null"/> when it is whole or is not a PNG or a JPEG.</summary>
    public static string? FindDamage(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith(PngSignature))
        {
            return FindPngDamage(data);
        }

        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        {
            return FindJpegDamage(data);
        }

        return null;
    }

    private static string? FindPngDamage(ReadOnlySpan<byte> data)
    {
        long position = PngSignature.Length;
        while (true)
        {
            if (position + 8 > data.Length)
            {
                return "the PNG is cut short: it ends before its IEND chunk";
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(data[(int)position..]);
            var type = System.Text.Encoding.ASCII.GetString(data.Slice((int)position + 4, 4));
            var next = position + 12 + length;
            if (next > data.Length)
            {
                return $"the PNG is cut short: it ends inside its {Printable(type)} chunk";
            }

            if (type == "IEND")
            {
                return null;
            }

            position = next;
        }
    }

    private static string? FindJpegDamage(ReadOnlySpan<byte> data)
    {
        const string CutShort = "the JPEG is cut short: it ends before its end-of-image marker (FF D9)";
        var position = 2;
        while (true)
        {
            if (position >= data.Length)
            {
                return CutShort;
            }

            if (data[position] != 0xFF)
            {
                return string.Create(CultureInfo.InvariantCulture, $"the JPEG is damaged: byte {position} should start a marker (FF) but is {data[position]:X2}");
            }

            // Any number of FF fill bytes may precede a marker code.
            while (position < data.Length && data[position] == 0xFF)
            {
                position++;
            }

            if (position >= data.Length)
            {
                return CutShort;
            }

            var marker = data[position++];
            if (marker == 0xD9)
            {
                return null;
            }

            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                continue; // Markers without a length.
            }

            if (position + 2 > data.Length)
            {
                return CutShort;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(data[position..]);
            if (length < 2)
            {
                return string.Create(CultureInfo.InvariantCulture, $"the JPEG is damaged: the segment at byte {position - 2} has a length of {length}");
            }

            if (position + length > data.Length)
            {
                return CutShort;
            }

            position += length;
            if (marker == 0xDA)
            {
                // Entropy-coded scan data follows a start-of-scan: it runs to the next marker other than a stuffed
                // zero (FF 00) or a restart (FF D0-D7).
                while (position + 1 < data.Length
                    && !(data[position] == 0xFF && data[position + 1] is not (0x00 or 0xFF or (>= 0xD0 and <= 0xD7))))
                {
                    position++;
                }

                if (position + 1 >= data.Length)
                {
                    return CutShort;
                }
            }
        }
    }

    /// <summary>Keeps what a person can read: a damaged file's bytes must not reach a message as control characters.</summary>
    public static string Printable(string text)
    {
        var end = text.AsSpan().IndexOfAnyInRange('\0', '\u001F');
        var kept = end < 0 ? text : text[..end];
        return kept.Length == 0 ? "(unreadable)" : kept;
    }
}
