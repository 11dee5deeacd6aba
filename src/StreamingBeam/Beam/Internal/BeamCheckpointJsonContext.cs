using System.Text.Json;
using System.Text.Json.Serialization;

namespace StreamingBeam.Beam.Internal;

/// <summary>Source-generated JSON metadata of <see cref="BeamCheckpoint"/>, for <see cref="FileBeamCheckpointStore"/>.</summary>
/// <remarks>The primitive types are listed so that image metadata values of those types can be written.</remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    WriteIndented = false,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(BeamCheckpoint))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(decimal))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class BeamCheckpointJsonContext : JsonSerializerContext;
