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

    private static readonly string[] AnalysisNames = ["analysis", "reasoning", "rationale", "explanation", "justification", "critique", "comment", "comments"];

    private const string Number = @"(?<value>[-+]?(?:\d+(?:\.\d*)?|\.\d+))";
    private const string Scale = @"(?:\s*(?:/|out\s+of)\s*(?<max>\d+(?:\.\d+)?)|\s*(?<percent>%))?";

    [GeneratedRegex(@"^\s*<(?<tag>think|thinking|reasoning)>.*?</\k<tag>>", RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LeadingReasoning();

    [GeneratedRegex(@"^\s*```[^\r\n]*\r?\n(?<body>.*?)\r?\n?\s*```", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex LeadingFence();

    [GeneratedRegex(@"```(?:json|JSON|javascript|text)?[ \t]*\r?\n(?<body>.*?)```", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex AnyFence();

    [GeneratedRegex(@"^\s*\**\s*" + Number + Scale + @"\s*\**\s*\.?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex WholeNumber();

    [GeneratedRegex(@"\bscore\b\**\s*(?:[:=]|is|of|was)?\s*\**\s*" + Number + Scale, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LabelledScore();

    [GeneratedRegex(@"(?<![\d.])" + @"(?<value>\d+(?:\.\d+)?)\s*(?:/|out\s+of)\s*(?<max>1|5|10|100)(?![\d.])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Fraction();

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

    /// <summary>Reads a score and its analysis, normalised to [0, 1].</summary>
    /// <param name="reply">The model's reply.</param>
    /// <param name="scoreScale">The top of the scale the prompt asked for, used unless the reply states its own
    /// (<c>8/10</c>, <c>7 out of 10</c>, <c>85%</c>).</param>
    /// <param name="score">The score in [0, 1].</param>
    /// <param name="analysis">The analysis: the JSON's analysis field, or the whole text of a plain-text reply.</param>
    /// <param name="failure">Why no score could be read.</param>
    /// <returns>Whether a score in range was read.</returns>
    public static bool TryReadScore(string reply, double scoreScale, out double score, out string? analysis, out string failure)
    {
        score = 0;
        analysis = null;
        var text = StripCodeFences(reply);

        using (var document = FindJsonObject(text, out var root, out _))
        {
            if (document is not null)
            {
                analysis = ReadAnalysis(root);
                if (!TryFindScoreProperty(root, out var scoreElement))
                {
                    failure = "the JSON reply has no \"score\" field";
                    return false;
                }

                switch (scoreElement.ValueKind)
                {
                    case JsonValueKind.Number:
                        return Normalise(scoreElement.GetDouble(), max: null, scoreScale, out score, out failure);
                    case JsonValueKind.String:
                        var match = WholeNumber().Match(scoreElement.GetString() ?? string.Empty);
                        if (match.Success)
                        {
                            return NormaliseMatch(match, scoreScale, out score, out failure);
                        }

                        break;
                }

                // The field's kind, not its text: a model's words stay out of messages (see ProviderOutputException).
                failure = $"the JSON reply's \"score\" field is not a number (it is {Describe(scoreElement.ValueKind)})";
                return false;
            }
        }

        var plain = WholeNumber().Match(text);
        if (!plain.Success)
        {
            plain = LabelledScore().Match(text);
        }

        if (!plain.Success)
        {
            plain = Fraction().Match(text);
        }

        if (!plain.Success)
        {
            failure = "no score was found in the reply (expected JSON such as {\"score\": 7, \"analysis\": \"...\"}, or text such as \"Score: 7/10\")";
            return false;
        }

        analysis = string.IsNullOrWhiteSpace(text) ? null : text;
        return NormaliseMatch(plain, scoreScale, out score, out failure);
    }

    private static bool NormaliseMatch(Match match, double scoreScale, out double score, out string failure)
    {
        var value = double.Parse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        double? max = match.Groups["percent"].Success ? 100
            : match.Groups["max"].Success ? double.Parse(match.Groups["max"].Value, NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;
        return Normalise(value, max, scoreScale, out score, out failure);
    }

    private static bool Normalise(double value, double? max, double scoreScale, out double score, out string failure)
    {
        score = 0;
        var top = max ?? scoreScale;
        var source = max is null ? "ScoreScale" : "the scale stated in the reply";
        if (!double.IsFinite(value) || !(top > 0))
        {
            failure = $"the score {Format(value)} out of {Format(top)} is not a usable number";
            return false;
        }

        if (value < 0 || value > top)
        {
            failure = $"the score {Format(value)} is outside 0 to {Format(top)} ({source})";
            return false;
        }

        failure = string.Empty;
        score = Math.Clamp(value / top, 0.0, 1.0);
        return true;
    }

    private static bool TryFindScoreProperty(JsonElement root, out JsonElement value)
    {
        JsonElement? containsScore = null;
        foreach (var property in root.EnumerateObject())
        {
            if (string.Equals(property.Name, "score", StringComparison.OrdinalIgnoreCase)
                || string.Equals(property.Name, "rating", StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }

            // "alignment_score", "aestheticScore": accepted when no plain "score" is present.
            if (containsScore is null && property.Name.Contains("score", StringComparison.OrdinalIgnoreCase))
            {
                containsScore = property.Value;
            }
        }

        value = containsScore.GetValueOrDefault();
        return containsScore is not null;
    }

    private static string? ReadAnalysis(JsonElement root)
    {
        foreach (var name in AnalysisNames)
        {
            var value = ReadStringProperty(root, name);
            if (!string.IsNullOrWhiteSpace(value))
            {
                return value.Trim();
            }
        }

        return null;
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

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "a string that does not hold a number",
        JsonValueKind.Null => "null",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => kind.ToString(),
    };

    private static string Format(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
