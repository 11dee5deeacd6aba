namespace StreamingBeam.Testing;

/// <summary>A user's prompt as the simulated writer reads it: the subject, which every expansion keeps whole, and the
/// phrases after it, some of which an expansion may leave out, each one whole.</summary>
/// <remarks>
/// <para>
/// The subject runs up to the first phrase of place, time or circumstance (<c>at</c>, <c>in</c>, <c>on</c>,
/// <c>under</c>, <c>during</c>, ...) that follows a word of meaning. Every such phrase, and every further
/// comma-separated part that starts like one, may be left out; other comma-separated parts describe the subject and are
/// always kept. "a lighthouse at dusk" is <c>a lighthouse</c> + <c>at dusk</c>; "a red fox in a snowy forest, at
/// night" is <c>a red fox</c> + <c>in a snowy forest</c> + <c>at night</c>.
/// </para>
/// <para>
/// Phrases that belong to the subject stay in it: <c>of</c> and <c>with</c> describe it ("a portrait of an old
/// fisherman", "a girl with a red umbrella"), and a phrase right after a verb in -ing completes it ("a cat sitting on
/// a windowsill"), so leaving it out would leave "a cat sitting". What is left after removing a phrase is always the
/// subject followed by whole phrases: never "A at dusk" or "A lighthouse at".
/// </para>
/// </remarks>
internal sealed class PromptPhrases
{
    private static readonly HashSet<string> PhraseStarts = new(StringComparer.OrdinalIgnoreCase)
    {
        "at", "in", "on", "under", "during", "beside", "near", "inside", "above", "below", "beneath", "behind", "among",
        "amid", "amidst", "across", "along", "around", "over", "through", "against", "before", "after", "beyond",
    };

    private PromptPhrases(string subject, IReadOnlyList<Phrase> phrases)
    {
        Subject = subject;
        Phrases = phrases;
    }

    /// <summary>Gets the subject: the prompt's first words, up to its first phrase.</summary>
    public string Subject { get; }

    /// <summary>Gets the phrases after the subject, in order, those an expansion may leave out and the others.</summary>
    public IReadOnlyList<Phrase> Phrases { get; }

    public static PromptPhrases Parse(string? prompt)
    {
        var parts = (prompt ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return new PromptPhrases(string.Empty, []);
        }

        var words = parts[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var phrases = new List<Phrase>();
        var subjectEnd = words.Length;
        var start = -1;
        for (var i = 1; i < words.Length - 1; i++)
        {
            if (!PhraseStarts.Contains(words[i]))
            {
                continue;
            }

            if (start < 0)
            {
                var before = words[..i];
                if (Vocabulary.ContentWords(string.Join(' ', before)).Count == 0 || before[^1].EndsWith("ing", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                subjectEnd = i;
            }
            else
            {
                phrases.Add(new Phrase(" ", string.Join(' ', words[start..i]), CanBeLeftOut: true));
            }

            start = i;
        }

        if (start >= 0)
        {
            phrases.Add(new Phrase(" ", string.Join(' ', words[start..]), CanBeLeftOut: true));
        }

        var subject = string.Join(' ', words[..subjectEnd]);
        var subjectHasMeaning = Vocabulary.ContentWords(subject).Count > 0;
        foreach (var part in parts.Skip(1))
        {
            var first = part.Split(' ', 2)[0];
            phrases.Add(new Phrase(", ", part, CanBeLeftOut: subjectHasMeaning && PhraseStarts.Contains(first) && part.Length > first.Length));
            subjectHasMeaning |= Vocabulary.ContentWords(part).Count > 0;
        }

        return new PromptPhrases(subject, phrases);
    }

    /// <summary>Gets the indexes of the phrases an expansion may leave out.</summary>
    public IReadOnlyList<int> Optional =>
        [.. Enumerable.Range(0, Phrases.Count).Where(i => Phrases[i].CanBeLeftOut)];

    /// <summary>Gets the prompt without the phrase at <paramref name="index"/>, or whole for -1.</summary>
    public string Without(int index)
    {
        var text = new System.Text.StringBuilder(Subject);
        for (var i = 0; i < Phrases.Count; i++)
        {
            if (i != index)
            {
                text.Append(Phrases[i].Separator).Append(Phrases[i].Text);
            }
        }

        return text.ToString();
    }

    /// <summary>One phrase, what joins it to the text before it (a space, or a comma and a space), and whether an
    /// expansion may leave it out.</summary>
    internal sealed record Phrase(string Separator, string Text, bool CanBeLeftOut);
}
