using System.Globalization;
using System.Text;

namespace StreamingBeam.Testing;

/// <summary>The simulated language model's writing: plausible prompts and critiques, each a pure function of the
/// seed and the request.</summary>
/// <remarks>
/// The texts are built so that a search makes progress: expansions paraphrase the request and may drop some of its
/// words; critiques name what is missing (words of the request, style aspects) and quote suggestions; refinements
/// add what the critique quoted. The simulated scorer rewards exactly those things.
/// </remarks>
internal static class PromptWriter
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Expand(ExpandRequest request, long seed, ulong callKey)
    {
        var userPrompt = (request.UserPrompt ?? string.Empty).Trim();

        // Offsets depend on the seed and the request but not on the variant index; the index then steps through the
        // lists with strides coprime to their lengths, so neighbouring variants always differ.
        var baseKey = StableHash.Start().Add(seed).Add(userPrompt).Add((int)request.Dimension).Finish();
        var i = unchecked((ulong)(long)request.VariantIndex);
        return request.Dimension == PromptDimension.What
            ? ExpandWhat(userPrompt, baseKey, i, callKey, request.Temperature)
            : ExpandHow(baseKey, i, callKey);
    }

    public static string Combine(CombineRequest request)
    {
        var what = TrimSentence(request.What);
        var how = TrimSentence(request.How);
        if (how.Length == 0)
        {
            return Capitalize(what) + ".";
        }

        return what.Length == 0 ? Capitalize(how) + "." : $"{Capitalize(what)}. {Capitalize(how)}.";
    }

    public static string Critique(CritiqueRequest request, ulong callKey)
    {
        var text = new StringBuilder();
        if (request.Dimension == PromptDimension.What)
        {
            text.Append(string.Create(Invariant, $"Alignment {request.Alignment:0.00}. "));
            var current = request.What ?? string.Empty;
            var present = new HashSet<string>(Vocabulary.ContentWords(current), StringComparer.Ordinal);
            var missing = Vocabulary.ContentWords(request.UserPrompt).Where(word => !present.Contains(word)).ToList();
            if (missing.Count > 0)
            {
                text.Append("The content leaves out ").Append(Vocabulary.JoinAnd(Vocabulary.Quote(missing)))
                    .Append(" from the request; name ").Append(missing.Count == 1 ? "it" : "them").Append(" explicitly. ");
            }
            else
            {
                text.Append("The content covers every element of the request. ");
            }

            var pool = Vocabulary.Details.Concat(Vocabulary.Subjects).Concat(Vocabulary.Settings)
                .Where(phrase => !current.Contains(phrase, StringComparison.OrdinalIgnoreCase)).ToArray();
            var suggestions = PickDistinct(pool, 3, callKey);
            text.Append("Make the scene more specific with ").Append(Vocabulary.JoinAnd(Vocabulary.Quote(suggestions), "or")).Append('.');
        }
        else
        {
            text.Append(string.Create(Invariant, $"Aesthetic {request.Aesthetic:0.00}. "));
            var current = request.How ?? string.Empty;
            var covered = Vocabulary.AspectsCovered(current);
            var missing = Vocabulary.StyleAspects.Where(aspect => !covered.Contains(aspect)).ToList();
            List<string> suggestions;
            if (missing.Count > 0)
            {
                text.Append("The style says nothing about ").Append(Vocabulary.JoinAnd(missing.Select(a => a.Name).ToList(), "or")).Append(". ");
                suggestions = missing.Take(3)
                    .Select((aspect, k) => aspect.Phrases[Draws.Index(callKey, Draws.Output, k, aspect.Phrases.Length)])
                    .ToList();
            }
            else
            {
                text.Append("The style names its medium, lighting, palette, composition and mood; push one of them further. ");
                var pool = Vocabulary.StyleAspects.SelectMany(aspect => aspect.Phrases)
                    .Where(phrase => !current.Contains(phrase, StringComparison.OrdinalIgnoreCase)).ToArray();
                suggestions = PickDistinct(pool, 3, callKey);
            }

            text.Append("Try ").Append(Vocabulary.JoinAnd(Vocabulary.Quote(suggestions), "or")).Append('.');
        }

        return text.ToString();
    }

    public static string Refine(RefineRequest request, long seed, ulong callKey)
    {
        var current = TrimSentence(request.Current);
        var terms = QuotedTerms(request.Critique);
        var currentWords = new HashSet<string>(Vocabulary.ContentWords(current), StringComparer.Ordinal);
        var userWords = new HashSet<string>(Vocabulary.ContentWords(request.UserPrompt), StringComparer.Ordinal);

        // Words of the request that the critique says are missing are all put back; of the other suggestions each
        // sibling takes a different one, so that a parent's children explore different directions.
        var required = request.Dimension == PromptDimension.What
            ? terms.Where(t => userWords.Contains(t.ToLowerInvariant()) && !currentWords.Contains(t.ToLowerInvariant())).ToList()
            : [];
        var optional = terms
            .Where(t => !userWords.Contains(t.ToLowerInvariant()) && !current.Contains(t, StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (optional.Count == 0 && required.Count == 0)
        {
            optional = FallbackSuggestions(request.Dimension, current);
        }

        var text = new StringBuilder(current);
        if (required.Count > 0)
        {
            text.Append(text.Length > 0 ? ", " : string.Empty).Append("emphasising ").Append(Vocabulary.JoinAnd(required));
        }

        if (optional.Count > 0)
        {
            var siblingKey = StableHash.Start().Add(seed).Add(request.Critique).Add(current).Finish();
            var offset = (ulong)(siblingKey % (ulong)optional.Count);
            var index = (int)((offset + unchecked((ulong)(long)request.VariantIndex)) % (ulong)optional.Count);
            text.Append(text.Length > 0 ? ", " : string.Empty).Append(optional[index]);
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

    private static string ExpandWhat(string userPrompt, ulong baseKey, ulong i, ulong callKey, double temperature)
    {
        // A paraphrase that may lose up to two of the request's words, as a real model's expansion sometimes does;
        // critiques point the loss out and refinements repair it.
        var words = Vocabulary.ContentWords(userPrompt);
        var dropCount = words.Count < 2 ? 0 : Draws.Index(callKey, Draws.Output, 0, Math.Min(3, words.Count));
        var dropped = PickDistinct(words.ToArray(), dropCount, Draws.Derive(callKey, Draws.Output, 1));
        var kept = RemoveWords(userPrompt, dropped);
        if (kept.Length == 0)
        {
            kept = userPrompt;
        }

        var subject = Vocabulary.Subjects[Step(baseKey, 1, i, 5, Vocabulary.Subjects.Length)];
        var setting = Vocabulary.Settings[Step(baseKey, 2, i, 3, Vocabulary.Settings.Length)];
        var parts = new List<string>(4) { kept, subject, setting };
        if (Draws.Uniform(callKey, Draws.Output, 2) < 0.25 + 0.35 * Math.Clamp(temperature, 0, 1))
        {
            parts.Add(Vocabulary.Details[Step(baseKey, 3, i, 7, Vocabulary.Details.Length)]);
        }

        return string.Join(", ", parts.Where(p => p.Length > 0));
    }

    private static string ExpandHow(ulong baseKey, ulong i, ulong callKey)
    {
        // Two or three of the five aspects, so that critiques can always name a missing one at first.
        var aspects = Vocabulary.StyleAspects;
        var count = 2 + Draws.Index(callKey, Draws.Output, 0, 2);
        var first = Step(baseKey, 0, i, 1, aspects.Length);
        var chosen = Enumerable.Range(0, count).Select(k => (first + k) % aspects.Length).Order();
        return string.Join(", ", chosen.Select(a => aspects[a].Phrases[Step(baseKey, 10 + a, i, 3, aspects[a].Phrases.Length)]));
    }

    private static List<string> FallbackSuggestions(PromptDimension dimension, string current)
    {
        if (dimension == PromptDimension.What)
        {
            return Vocabulary.Details.Where(d => !current.Contains(d, StringComparison.OrdinalIgnoreCase)).ToList();
        }

        var covered = Vocabulary.AspectsCovered(current);
        var missing = Vocabulary.StyleAspects.Where(a => !covered.Contains(a)).ToList();
        var source = missing.Count > 0 ? missing : [.. Vocabulary.StyleAspects];
        return source.SelectMany(a => a.Phrases).Where(p => !current.Contains(p, StringComparison.OrdinalIgnoreCase)).ToList();
    }

    private static int Step(ulong baseKey, int slot, ulong i, ulong stride, int length) =>
        (int)((Draws.Derive(baseKey, Draws.Output, slot) % (ulong)length + unchecked(i * stride)) % (ulong)length);

    private static List<string> PickDistinct(string[] pool, int count, ulong key)
    {
        var picked = new List<string>(count);
        if (pool.Length == 0)
        {
            return picked;
        }

        // Walks the pool from a drawn start with a drawn stride coprime to its length: distinct items, no shuffling.
        var start = (int)(Draws.Derive(key, Draws.Output, 100) % (ulong)pool.Length);
        var stride = 1 + (int)(Draws.Derive(key, Draws.Output, 101) % (ulong)pool.Length);
        while (Gcd(stride, pool.Length) != 1)
        {
            stride++;
        }

        for (var k = 0; k < Math.Min(count, pool.Length); k++)
        {
            picked.Add(pool[(int)((start + (long)k * stride) % pool.Length)]);
        }

        return picked;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }

    private static string RemoveWords(string text, List<string> words)
    {
        if (words.Count == 0)
        {
            return text;
        }

        var tokens = text.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(token => !words.Contains(token.Trim(',', '.', ';', ':', '!', '?', '"', '\'').ToLowerInvariant()));
        return string.Join(' ', tokens).Trim(' ', ',');
    }

    private static string TrimSentence(string? text) => (text ?? string.Empty).Trim().TrimEnd('.', ' ');

    private static string Capitalize(string text) =>
        text.Length == 0 || char.IsUpper(text[0]) ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
