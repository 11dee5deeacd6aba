namespace StreamingBeam.Testing;

/// <summary>The words the simulated language model writes with and the simulated scorer judges by.</summary>
internal static class Vocabulary
{
    public static readonly string[] Subjects =
    [
        "a lone traveller in the foreground", "a small wooden cabin", "a flock of birds overhead",
        "an old stone bridge", "a curious child", "a sleeping cat", "a lantern glowing softly",
        "tall pine trees", "a winding river", "distant mountains", "a kite high in the sky",
        "scattered autumn leaves",
    ];

    public static readonly string[] Settings =
    [
        "at dawn", "under a starry night sky", "on a misty morning", "during a summer storm",
        "at the edge of a quiet village", "beside a frozen lake", "in a crowded market square",
        "high on a windswept cliff", "deep in an ancient forest", "on a rainy city street",
    ];

    public static readonly string[] Details =
    [
        "with dew on every leaf", "with footprints in the snow", "with smoke rising from a chimney",
        "with reflections on wet ground", "with petals drifting in the air", "with a faint rainbow",
        "with long shadows across the ground", "with fireflies in the dusk", "with steam rising from a cup",
        "with ivy climbing the walls",
    ];

    /// <summary>The five aspects of a style, in the order a style prompt usually names them.</summary>
    public static readonly StyleAspect[] StyleAspects =
    [
        new("medium",
        [
            "oil painting", "watercolor illustration", "35mm film photograph", "digital matte painting",
            "charcoal sketch", "isometric 3D render", "gouache on paper", "cinematic still",
        ]),
        new("lighting",
        [
            "golden hour lighting", "soft diffused light", "dramatic rim lighting", "moody low-key lighting",
            "bright overcast light", "neon glow", "candlelit warmth", "volumetric god rays",
        ]),
        new("palette",
        [
            "teal and orange palette", "muted pastel palette", "deep blue and gold palette",
            "earthy brown and green palette", "monochrome grey palette", "vivid red and yellow palette",
            "cool purple and pink palette", "warm amber palette",
        ]),
        new("composition",
        [
            "rule of thirds composition", "wide establishing shot", "symmetrical framing", "low-angle perspective",
            "close-up with shallow depth of field", "leading lines toward the horizon", "bird's-eye view",
            "centered subject with negative space",
        ]),
        new("mood",
        [
            "serene mood", "mysterious atmosphere", "joyful energy", "melancholic tone", "epic sense of scale",
            "cozy atmosphere", "dreamlike quality", "tense, dramatic mood",
        ]),
    ];

    /// <summary>Words too common to carry meaning; they do not count toward alignment.</summary>
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "and", "with", "for", "from", "into", "onto", "over", "under", "that", "this", "its", "his", "her",
        "their", "are", "was", "were", "has", "have", "had", "but", "not", "all", "any", "some", "very", "just",
        "of", "in", "on", "at", "to", "by", "an", "a", "as", "is", "it", "or", "be", "so", "up", "out", "off",
        "showing", "making", "sure", "show", "clearly", "emphasising", "rendered", "image", "picture", "photo",
    };

    /// <summary>Gets the words of <paramref name="text"/> that carry meaning, lowercased, each once, in order.</summary>
    public static List<string> ContentWords(string? text)
    {
        var words = new List<string>();
        if (string.IsNullOrEmpty(text))
        {
            return words;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var isWordChar = i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '\'');
            if (isWordChar && start < 0)
            {
                start = i;
            }
            else if (!isWordChar && start >= 0)
            {
                var word = text[start..i].Trim('\'').ToLowerInvariant();
                if (word.Length >= 3 && !StopWords.Contains(word) && seen.Add(word))
                {
                    words.Add(word);
                }

                start = -1;
            }
        }

        return words;
    }

    /// <summary>Gets the style aspects that <paramref name="text"/> names with one of their phrases.</summary>
    public static List<StyleAspect> AspectsCovered(string? text)
    {
        var covered = new List<StyleAspect>();
        if (string.IsNullOrEmpty(text))
        {
            return covered;
        }

        foreach (var aspect in StyleAspects)
        {
            if (aspect.IsNamedIn(text))
            {
                covered.Add(aspect);
            }
        }

        return covered;
    }

    /// <summary>Joins words as English does: "a", "a and b", "a, b and c".</summary>
    public static string JoinAnd(IReadOnlyList<string> items, string conjunction = "and") => items.Count switch
    {
        0 => string.Empty,
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + " " + conjunction + " " + items[^1],
    };

    /// <summary>Quotes each item in double quotes, which is how the simulated critique marks its suggestions.</summary>
    public static List<string> Quote(IEnumerable<string> items) => items.Select(item => "\"" + item + "\"").ToList();
}

/// <summary>One aspect of a style (medium, lighting, palette, composition, mood) and the phrases that name it.</summary>
internal sealed class StyleAspect(string name, string[] phrases)
{
    public string Name { get; } = name;

    public string[] Phrases { get; } = phrases;

    public bool IsNamedIn(string text)
    {
        foreach (var phrase in Phrases)
        {
            if (text.Contains(phrase, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
