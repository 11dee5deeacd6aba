using System.Text.Json;
using System.Text.Json.Serialization;

namespace StreamingBeam.Beam.Internal;

/// <summary>Writes and reads <see cref="GeneratedImage.Metadata"/>: strings, booleans and numbers come back as
/// <see cref="string"/>, <see cref="bool"/>, and <see cref="long"/> (integers) or <see cref="double"/>; JSON values
/// (<see cref="JsonElement"/>) as <see cref="JsonElement"/>. Values of other types are not saved.</summary>
/// <remarks>Scorers read metadata that the generator wrote (the simulated ones read the rendered prompt), so a resumed
/// search must hand them the values with their types, not as <see cref="JsonElement"/>.</remarks>
internal sealed class ImageMetadataConverter : JsonConverter<IReadOnlyDictionary<string, object?>>
{
    public override IReadOnlyDictionary<string, object?>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Image metadata must be a JSON object.");
        }

        var metadata = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            metadata[name] = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.True => true,
                JsonTokenType.False => false,
                JsonTokenType.Null => null,
                JsonTokenType.Number => reader.TryGetInt64(out var integer) ? (object)integer : reader.GetDouble(),
                _ => JsonElement.ParseValue(ref reader),
            };
        }

        return metadata;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, object?> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (name, item) in value)
        {
            switch (item)
            {
                case null:
                    writer.WriteNull(name);
                    break;
                case string text:
                    writer.WriteString(name, text);
                    break;
                case bool flag:
                    writer.WriteBoolean(name, flag);
                    break;
                case int or long or short or byte or sbyte or ushort or uint:
                    writer.WriteNumber(name, Convert.ToInt64(item, System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case ulong large:
                    writer.WriteNumber(name, large);
                    break;
                case double real when double.IsFinite(real):
                    writer.WriteNumber(name, real);
                    break;
                case float single when float.IsFinite(single):
                    writer.WriteNumber(name, single);
                    break;
                case decimal money:
                    writer.WriteNumber(name, money);
                    break;
                case JsonElement json:
                    writer.WritePropertyName(name);
                    json.WriteTo(writer);
                    break;
                default:
                    // Not saved: a type the journal cannot read back as itself.
                    break;
            }
        }

        writer.WriteEndObject();
    }
}
