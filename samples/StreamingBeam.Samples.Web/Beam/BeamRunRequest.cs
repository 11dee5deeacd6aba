using System.Text.Json;

namespace StreamingBeam.Samples.Web.Beam;

/// <summary>The body of <c>POST /api/beam/runs</c>. Only the prompt is required.</summary>
/// <remarks>
/// Parsed by hand from a <see cref="JsonDocument"/> rather than bound by the serializer: the serializer's web defaults
/// accept numbers written as strings (<c>"beam_width": "6"</c>), and its errors name .NET types
/// (<c>System.Nullable`1[System.Int64]</c>). Here every problem names the field and what it should be.
/// </remarks>
internal sealed class BeamRunRequest
{
    public const int MaxBeamWidth = 16;
    public const int MaxIterations = 5;

    private static readonly string[] Fields = ["prompt", "beam_width", "keep_top", "iterations", "seed"];

    public string? Prompt { get; private set; }

    public int BeamWidth { get; private set; } = 6;

    public int KeepTop { get; private set; } = 2;

    public int Iterations { get; private set; } = 3;

    public long? Seed { get; private set; }

    /// <summary>The largest body a valid request can need: a code point takes at most 12 bytes of JSON (a surrogate
    /// pair written as two <c>\uXXXX</c> escapes), and the numbers, names and spacing fit in 4 KiB.</summary>
    public static long MaxBodyBytes(int maxPromptLength) => 4096 + (12L * maxPromptLength);

    /// <summary>Counts the prompt the way a person does, in code points: 300 emoji are 300, not 600 UTF-16 units.</summary>
    public static int PromptLength(string prompt) => prompt.EnumerateRunes().Count();

    /// <summary>Parses the body; returns the request, or every problem with it (one message each).</summary>
    public static (BeamRunRequest? Request, List<string> Problems) Parse(ReadOnlyMemory<byte> body, int maxPromptLength)
    {
        var problems = new List<string>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            problems.Add($"The body is not valid JSON: {ex.Message}");
            return (null, problems);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"The body must be a JSON object such as {{\"prompt\": \"a lighthouse at dusk\"}}; got {Describe(root)}.");
                return (null, problems);
            }

            var request = new BeamRunRequest();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    problems.Add($"{property.Name} appears more than once.");
                    continue;
                }

                var value = property.Value;
                switch (property.Name)
                {
                    case "prompt":
                        if (value.ValueKind == JsonValueKind.String)
                        {
                            request.Prompt = value.GetString();
                        }
                        else if (value.ValueKind != JsonValueKind.Null)
                        {
                            problems.Add($"prompt must be a string; got {Describe(value)}.");
                        }

                        break;
                    case "beam_width":
                        request.BeamWidth = ReadInt(value, property.Name, request.BeamWidth, problems);
                        break;
                    case "keep_top":
                        request.KeepTop = ReadInt(value, property.Name, request.KeepTop, problems);
                        break;
                    case "iterations":
                        request.Iterations = ReadInt(value, property.Name, request.Iterations, problems);
                        break;
                    case "seed":
                        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seed))
                        {
                            request.Seed = seed;
                        }
                        else if (value.ValueKind != JsonValueKind.Null)
                        {
                            problems.Add($"seed must be a whole number (a 64-bit integer) or null; got {Describe(value)}.");
                        }

                        break;
                    default:
                        problems.Add($"Unknown field '{property.Name}'; the fields are {string.Join(", ", Fields)}.");
                        break;
                }
            }

            if (problems.Count == 0)
            {
                problems.AddRange(request.Validate(maxPromptLength));
            }

            return (problems.Count == 0 ? request : null, problems);
        }
    }

    /// <summary>Returns the problems with this request's values, one message each (empty when it is valid).</summary>
    public IEnumerable<string> Validate(int maxPromptLength)
    {
        if (string.IsNullOrWhiteSpace(Prompt))
        {
            yield return "prompt is required: describe the image to search for.";
        }
        else if (PromptLength(Prompt) is var length && length > maxPromptLength)
        {
            yield return $"prompt is {length} characters long; the limit is {maxPromptLength}.";
        }

        if (BeamWidth is < 1 or > MaxBeamWidth)
        {
            yield return $"beam_width must be between 1 and {MaxBeamWidth}; got {BeamWidth}.";
        }

        if (KeepTop < 1 || KeepTop > BeamWidth)
        {
            yield return $"keep_top must be between 1 and beam_width ({BeamWidth}); got {KeepTop}.";
        }

        if (Iterations is < 1 or > MaxIterations)
        {
            yield return $"iterations must be between 1 and {MaxIterations}; got {Iterations}.";
        }
    }

    public BeamSearchOptions ToOptions() => new() { BeamWidth = BeamWidth, KeepTop = KeepTop, MaxIterations = Iterations };

    /// <summary>Reads an optional whole number; <c>null</c> keeps the default.</summary>
    private static int ReadInt(JsonElement value, string name, int fallback, List<string> problems)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }

        problems.Add($"{name} must be a whole number; got {Describe(value)}.");
        return fallback;
    }

    private static string Describe(JsonElement value)
    {
        var text = value.GetRawText();
        var shown = text.Length > 40 ? text[..40] + "…" : text;
        return value.ValueKind switch
        {
            JsonValueKind.String => $"the string {shown}",
            JsonValueKind.Number => $"the number {shown}",
            JsonValueKind.True or JsonValueKind.False => $"the boolean {shown}",
            JsonValueKind.Null => "null",
            JsonValueKind.Array => "an array",
            JsonValueKind.Object => "an object",
            _ => shown,
        };
    }
}
