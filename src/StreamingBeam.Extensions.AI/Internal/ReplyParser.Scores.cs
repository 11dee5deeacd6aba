using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace StreamingBeam.Extensions.AI;

/// <summary>Reading a score from a vision model's reply: a JSON <c>score</c> field, a bare number, a labelled score or a
/// fraction, on any scale, normalised to [0, 1].</summary>
internal static partial class ReplyParser
{
    private static readonly string[] AnalysisNames = ["analysis", "reasoning", "rationale", "explanation", "justification", "critique", "comment", "comments"];

    private const string Number = @"(?<value>[-+]?(?:\d+(?:\.\d*)?|\.\d+))";
    private const string Scale = @"(?:\s*(?:/|out\s+of)\s*(?<max>\d+(?:\.\d+)?)|\s*(?<percent>%))?";

    [GeneratedRegex(@"^\s*\**\s*" + Number + Scale + @"\s*\**\s*\.?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex WholeNumber();

    [GeneratedRegex(@"\bscore\b\**\s*(?:[:=]|is|of|was)?\s*\**\s*" + Number + Scale, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LabelledScore();

    [GeneratedRegex(@"(?<![\d.])" + @"(?<value>\d+(?:\.\d+)?)\s*(?:/|out\s+of)\s*(?<max>1|5|10|100)(?![\d.])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Fraction();

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
