using System.Text.Json;
using System.Text.Json.Serialization;

namespace StreamingBeam.Beam.Internal;

/// <summary>Source-generated JSON metadata of the checkpoint journal's records (trimming- and AOT-safe).</summary>
/// <remarks>Compact output never contains a line feed (JSON escapes it inside strings), so every record is one line,
/// which line-based stores rely on.</remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    WriteIndented = false,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    Converters = new[] { typeof(ImageMetadataConverter) })]
[JsonSerializable(typeof(JournalRecord))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class BeamJournalJsonContext : JsonSerializerContext;
