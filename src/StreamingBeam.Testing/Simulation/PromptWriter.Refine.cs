using System.Text;

namespace StreamingBeam.Testing;

/// <summary>Refinement: what the critique asked for, plus something of each sibling's own, so that no two children of
/// a parent are the same.</summary>
internal static partial class PromptWriter
{
    public static string Refine(RefineRequest request, long seed, ulong callKey)
    {
        var current = TrimSentence(request.Current);
        var terms = QuotedTerms(request.Critique);
        var currentWords = new HashSet<string>(Vocabulary.ContentWords(current), StringComparer.Ordinal);
        var userWords = new HashSet<string>(Vocabulary.ContentWords(request.UserPrompt), StringComparer.Ordinal);

        // Words of the request that the critique says are missing are all put back: the whole phrase of the request
        // they belong to where it was, or else named at the end.
        var required = request.Dimension == PromptDimension.What
            ? terms.Where(t => userWords.Contains(t.ToLowerInvariant()) && !currentWords.Contains(t.ToLowerInvariant())).ToList()
            : [];
        var text = new StringBuilder(RestorePhrases(current, request.UserPrompt, required));
        if (required.Count > 0)
        {
            text.Append(text.Length > 0 ? ", " : string.Empty).Append("emphasising ").Append(Vocabulary.JoinAnd(required));
        }

        // Then each sibling adds something of its own, so that no two children of a parent are the same: the first
        // siblings one suggestion of the critique each, the next ones a phrase of their own, then two, then three.
        var pool = Additions(request, seed, current, terms, userWords);
        foreach (var index in Selection(pool.Count, AskedIndex(request.VariantIndex, request.Attempt)))
        {
            text.Append(text.Length > 0 ? ", " : string.Empty).Append(pool[index]);
        }

        if (text.Length == 0)
        {
            // Nothing to keep and nothing to add: still write something plausible rather than an empty prompt.
            text.Append(Vocabulary.Subjects[Draws.Index(callKey, Draws.Output, 0, Vocabulary.Subjects.Length)]);
        }

        return text.ToString();
    }

    /// <summary>Gets the terms a critique put in double quotes (straight or curly), in order.</summary>
    public static List<string> QuotedTerms(string? critique)
    {
        var terms = new List<string>();
        if (string.IsNullOrEmpty(critique))
        {
            return terms;
        }

        var start = -1;
        for (var i = 0; i < critique.Length; i++)
        {
            var c = critique[i];
            if (start < 0 && (c == '"' || c == '\u201C'))
            {
                start = i + 1;
            }
            else if (start >= 0 && (c == '"' || c == '\u201D'))
            {
                var term = critique[start..i].Trim();
                if (term.Length > 0 && !terms.Contains(term, StringComparer.OrdinalIgnoreCase))
                {
                    terms.Add(term);
                }

                start = -1;
            }
        }

        return terms;
    }

    /// <summary>Puts back, where they were, the request's phrases that hold words <paramref name="required"/> names,
    /// when <paramref name="current"/> starts with the request's subject; removes the words it put back.</summary>
    private static string RestorePhrases(string current, string? userPrompt, List<string> required)
    {
        var request = PromptPhrases.Parse(TrimSentence(userPrompt));
        var subject = request.Subject;
        if (required.Count == 0 || subject.Length == 0 || !current.StartsWith(subject, StringComparison.Ordinal)
            || (current.Length > subject.Length && current[subject.Length] is not (' ' or ',')))
        {
            return current;
        }

        var missing = new HashSet<string>(required.Select(word => word.ToLowerInvariant()), StringComparer.Ordinal);
        var text = new StringBuilder(subject);
        var position = subject.Length;
        foreach (var phrase in request.Phrases)
        {
            var written = phrase.Separator + phrase.Text;
            if (string.CompareOrdinal(current, position, written, 0, written.Length) == 0)
            {
                text.Append(written);
                position += written.Length;
            }
            else if (Vocabulary.ContentWords(phrase.Text).Any(missing.Contains)
                && !current.Contains(phrase.Text, StringComparison.OrdinalIgnoreCase))
            {
                text.Append(written);
                foreach (var word in Vocabulary.ContentWords(phrase.Text))
                {
                    missing.Remove(word);
                }
            }
        }

        required.RemoveAll(word => !missing.Contains(word.ToLowerInvariant()));
        return text.Append(current, position, current.Length - position).ToString();
    }

    /// <summary>Gets what the siblings of one refinement add, each item different and none already in
    /// <paramref name="current"/>: the critique's suggestions first, rotated so that the first sibling does not always
    /// take the first, then the writer's own phrases for <see cref="RefineRequest.Dimension"/>.</summary>
    private static List<string> Additions(RefineRequest request, long seed, string current, List<string> terms, HashSet<string> userWords)
    {
        var suggested = terms
            .Where(t => !userWords.Contains(t.ToLowerInvariant()) && !current.Contains(t, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var siblingKey = StableHash.Start().Add(seed).Add(request.Critique).Add(current).Add(request.Iteration).Finish();
        var pool = Rotate(suggested, siblingKey);
        var seen = new HashSet<string>(pool, StringComparer.OrdinalIgnoreCase);
        foreach (var group in FallbackSuggestions(request.Dimension, current))
        {
            pool.AddRange(Rotate(group, Draws.Derive(siblingKey, Draws.Output, pool.Count)).Where(seen.Add));
        }

        return pool;
    }

    /// <summary>The writer's own phrases for a dimension, in groups, most useful first: for WHAT details, then subjects,
    /// then settings; for HOW phrases of the aspects the style lacks, then of the others.</summary>
    private static IEnumerable<List<string>> FallbackSuggestions(PromptDimension dimension, string current)
    {
        IEnumerable<string[]> groups;
        if (dimension == PromptDimension.What)
        {
            groups = [Vocabulary.Details, Vocabulary.Subjects, Vocabulary.Settings];
        }
        else
        {
            var covered = Vocabulary.AspectsCovered(current);
            groups =
            [
                [.. Vocabulary.StyleAspects.Where(a => !covered.Contains(a)).SelectMany(a => a.Phrases)],
                [.. covered.SelectMany(a => a.Phrases)],
            ];
        }

        return groups.Select(group => group.Where(p => !current.Contains(p, StringComparison.OrdinalIgnoreCase)).ToList());
    }

    private static List<string> Rotate(List<string> items, ulong key)
    {
        if (items.Count < 2)
        {
            return [.. items];
        }

        var offset = (int)(key % (ulong)items.Count);
        return [.. items.Skip(offset), .. items.Take(offset)];
    }

    /// <summary>Gets the indexes of selection number <paramref name="rank"/> of a pool of <paramref name="count"/>
    /// items: first each item alone, then each pair, then each triple, so that different ranks give different
    /// selections (up to count + count²/2 + count³/6 of them, after which they repeat).</summary>
    private static IEnumerable<int> Selection(int count, ulong rank)
    {
        if (count == 0)
        {
            return [];
        }

        var n = (ulong)count;
        var total = n + (n * (n - 1) / 2) + (n * (n - 1) * (n - 2) / 6);
        var r = rank % total;
        if (r < n)
        {
            return [(int)r];
        }

        r -= n;
        for (var a = 0; a < count; a++)
        {
            for (var b = a + 1; b < count; b++)
            {
                if (r-- == 0)
                {
                    return [a, b];
                }
            }
        }

        for (var a = 0; a < count; a++)
        {
            for (var b = a + 1; b < count; b++)
            {
                for (var c = b + 1; c < count; c++)
                {
                    if (r-- == 0)
                    {
                        return [a, b, c];
                    }
                }
            }
        }

        throw new System.Diagnostics.UnreachableException("A rank below the total names a selection.");
    }
}
