using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace StreamingBeam.Extensions.AI;

/// <summary>Reads what the adapters need from a model's reply, tolerating the ways models wrap it: code fences, prose
/// around a JSON object, or plain text where JSON was asked for.</summary>
internal static partial class ReplyParser
{
    private static readonly JsonDocumentOptions JsonOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    [GeneratedRegex(@"^\s*<(?<tag>think|thinking|reasoning)>.*?</\k<tag>>", RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LeadingReasoning();

    [GeneratedRegex(@"^\s*```[^\r\n]*\r?\n(?<body>.*?)\r?\n?\s*```", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex LeadingFence();

    [GeneratedRegex(@"```(?:json|JSON|javascript|text)?[ \t]*\r?\n(?<body>.*?)```", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex AnyFence();

    /// <summary>Removes a leading reasoning block (<c>&lt;think&gt;...&lt;/think&gt;</c>, as reasoning models served by
    /// Ollama or vLLM write), then a Markdown code fence around the reply, or picks the first fenced JSON block inside prose.</summary>
    public static string StripCodeFences(string reply)
    {
        var reasoning = LeadingReasoning().Match(reply);
        if (reasoning.Success)
        {
            reply = reply[reasoning.Length..];
        }

        var leading = LeadingFence().Match(reply);
        if (leading.Success)
        {
            return leading.Groups["body"].Value.Trim();
        }

        var inner = AnyFence().Match(reply);
        return inner.Success && inner.Groups["body"].Value.TrimStart().StartsWith('{')
            ? inner.Groups["body"].Value.Trim()
            : reply.Trim();
    }

    /// <summary>Finds the first JSON object in <paramref name="text"/>, alone or surrounded by prose.</summary>
    /// <param name="text">The reply, with code fences already removed.</param>
    /// <param name="root">The object's root element, valid while the returned document lives.</param>
    /// <param name="isWholeText">Whether the object is all there is in <paramref name="text"/>.</param>
    /// <returns>The parsed document, which the caller disposes, or <see langword="null"/> when there is none.</returns>
    public static JsonDocument? FindJsonObject(string text, out JsonElement root, out bool isWholeText)
    {
        for (var start = text.IndexOf('{', StringComparison.Ordinal); start >= 0; start = text.IndexOf('{', start + 1))
        {
            var end = FindMatchingBrace(text, start);
            if (end < 0)
            {
                break;
            }

            try
            {
                var document = JsonDocument.Parse(text.AsMemory(start, end - start + 1), JsonOptions);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    root = document.RootElement;
                    isWholeText = start == 0 && end == text.Length - 1;
                    return document;
                }

                document.Dispose();
            }
            catch (JsonException)
            {
                // Braces in prose ("{like this}") are not JSON: try the next opening brace.
            }
        }

        root = default;
        isWholeText = false;
        return null;
    }

    /// <summary>Reads a piece of text (a prompt, a critique) from a reply that was asked to be
    /// <c>{"&lt;key&gt;": "..."}</c>.</summary>
    /// <returns>The text, or <see langword="null"/> with <paramref name="failure"/> saying why.</returns>
    public static string? ReadText(string reply, string key, out string failure)
    {
        failure = string.Empty;
        var text = StripCodeFences(reply);
        using var document = FindJsonObject(text, out var root, out var isWholeText);
        if (document is not null)
        {
            var value = ReadStringProperty(root, key) ?? ReadSoleStringProperty(root);
            if (!string.IsNullOrWhiteSpace(value))
            {
                return value.Trim();
            }

            if (isWholeText)
            {
                failure = $"the JSON reply has no non-empty \"{key}\" string";
                return null;
            }
        }

        // Plain text where JSON was asked for (a service without JSON mode, or a model that ignored it) is the answer itself.
        var plain = TrimQuotes(text);
        if (string.IsNullOrWhiteSpace(plain))
        {
            failure = "the reply has no text";
            return null;
        }

        return plain;
    }

    private static string? ReadStringProperty(JsonElement root, string name)
    {
        foreach (var property in root.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String)
            {
                return property.Value.GetString();
            }
        }

        return null;
    }

    private static string? ReadSoleStringProperty(JsonElement root)
    {
        string? found = null;
        foreach (var property in root.EnumerateObject())
        {
            if (found is not null)
            {
                return null;
            }

            if (property.Value.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            found = property.Value.GetString();
        }

        return found;
    }

    private static int FindMatchingBrace(string text, int start)
    {
        var depth = 0;
        var inString = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '{':
                    depth++;
                    break;
                case '}':
                    depth--;
                    if (depth == 0)
                    {
                        return i;
                    }

                    break;
            }
        }

        return -1;
    }

    private static string TrimQuotes(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length >= 2 && trimmed[0] == '"' && trimmed[^1] == '"' ? trimmed[1..^1].Trim() : trimmed;
    }
}
