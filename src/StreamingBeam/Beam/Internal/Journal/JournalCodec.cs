using System.Globalization;
using System.Text.Json;

namespace StreamingBeam.Beam.Internal;

/// <summary>Turns journal records into the bytes stores keep, and back.</summary>
internal static class JournalCodec
{
    public static byte[] Encode(JournalRecord record) =>
        JsonSerializer.SerializeToUtf8Bytes(record, BeamJournalJsonContext.Default.JournalRecord);

    /// <summary>Reads record <paramref name="index"/> of the checkpoint <paramref name="checkpointId"/>.</summary>
    /// <exception cref="BeamCheckpointException">The bytes are not a record this version reads.</exception>
    public static JournalRecord Decode(ReadOnlyMemory<byte> bytes, int index, string checkpointId)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes.Span, BeamJournalJsonContext.Default.JournalRecord)
                ?? throw new JsonException("The record is null.");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or FormatException or OverflowException or ArgumentException)
        {
            // Whatever the reader throws for bytes it cannot bind is a journal that cannot be read.
            throw new BeamCheckpointException(
                string.Create(CultureInfo.InvariantCulture, $"Record {index} of the checkpoint '{checkpointId}' is not a valid record: {ex.Message}"),
                ex);
        }
    }

    /// <summary>Reads the format version of a header without binding it, so that another version's shape is reported
    /// as such rather than as a binding error. Any value that is not a JSON integer is reported, never thrown.</summary>
    public static (int? Version, string Shown) ReadFormatVersion(ReadOnlyMemory<byte> header)
    {
        try
        {
            using var document = JsonDocument.Parse(header);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("formatVersion", out var version))
            {
                return (null, "(none)");
            }

            return version.ValueKind == JsonValueKind.Number && version.TryGetInt32(out var value)
                ? (value, value.ToString(CultureInfo.InvariantCulture))
                : (null, version.ValueKind == JsonValueKind.Number ? version.GetRawText() : $"of JSON type {version.ValueKind} (a number is expected)");
        }
        catch (JsonException)
        {
            return (null, "(not JSON)");
        }
    }
}
