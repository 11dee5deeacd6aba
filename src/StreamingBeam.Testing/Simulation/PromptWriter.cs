using System.Globalization;
using System.Text;

namespace StreamingBeam.Testing;

/// <summary>The simulated language model's writing: plausible prompts and critiques, each a pure function of the
/// seed and the request.</summary>
/// <remarks>
/// The texts are built so that a search makes progress: expansions keep the request's subject whole and sometimes
/// leave out one of its later phrases; critiques name what is missing (words of the request, style aspects) and quote
/// suggestions; refinements put the missing phrases back and add what the critique quoted. The simulated scorer
/// rewards exactly those things. Expansions of one request differ from each other, and so do siblings refined from one
/// parent (see PromptWriter.Refine.cs).
/// </remarks>
internal static partial class PromptWriter
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The index a request picks its variation by: its variant index, moved far past every sibling's when the
    /// engine asks again because the answer repeated a candidate (<see cref="RefineRequest.Attempt"/>), so that the
    /// new answer differs.</summary>
    internal static ulong AskedIndex(int variantIndex, int attempt) => unchecked((ulong)(long)variantIndex + ((ulong)attempt * 7919UL));

    public static string Expand(ExpandRequest request, long seed, ulong callKey)
    {
        var userPrompt = TrimSentence(request.UserPrompt);

        // Offsets depend on the seed and the request but not on the variant index; the index then picks from the lists
        // so that different variants always differ (see ExpandWhat) and neighbouring ones differ most.
        var baseKey = StableHash.Start().Add(seed).Add(userPrompt).Add((int)request.Dimension).Finish();
        var i = AskedIndex(request.VariantIndex, request.Attempt);
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

    private static string ExpandWhat(string userPrompt, ulong baseKey, ulong i, ulong callKey, double temperature)
    {
        // The user's subject is always kept whole. One expansion in three leaves out one of the phrases after it, as a
        // model that takes liberties does (a lighthouse "at dusk" becomes a lighthouse "on a misty morning"); the
        // critique points the loss out and the refinement puts the phrase back.
        var phrases = PromptPhrases.Parse(userPrompt);
        var optional = phrases.Optional;
        var dropped = optional.Count > 0 && Draws.Uniform(callKey, Draws.Output, 0) < 1.0 / 3
            ? optional[Draws.Index(callKey, Draws.Output, 1, optional.Count)]
            : -1;
        var kept = phrases.Subject.Length > 0 ? phrases.Without(dropped) : userPrompt;

        // Variant i takes subject a = i mod S and setting (q + a) mod T, with q = (i / S) mod T: a different pair for
        // each of the first S x T variants (well over a hundred), and a different subject and setting for neighbours.
        // Later rounds of S x T variants add two details of their own, which the first round never has.
        var subjects = Unused(Vocabulary.Subjects, userPrompt);
        var settings = Unused(Vocabulary.Settings, userPrompt);
        var details = Unused(Vocabulary.Details, userPrompt);
        var a = i % (ulong)subjects.Length;
        var q = i / (ulong)subjects.Length;
        var round = q / (ulong)settings.Length;
        var parts = new List<string>(5)
        {
            kept,
            subjects[Step(baseKey, 1, a, 5, subjects.Length)],
            settings[Step(baseKey, 2, (q % (ulong)settings.Length) + a, 3, settings.Length)],
        };
        if (round > 0)
        {
            parts.Add(details[Step(baseKey, 3, round - 1, 1, details.Length)]);
            parts.Add(details[Step(baseKey, 3, round, 1, details.Length)]);
        }
        else if (Draws.Uniform(callKey, Draws.Output, 2) < 0.25 + 0.35 * Math.Clamp(temperature, 0, 1))
        {
            parts.Add(details[Step(baseKey, 3, i, 7, details.Length)]);
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

    /// <summary>Item <paramref name="i"/> of a list walked from a drawn start with a stride coprime to its length, so
    /// that the first <paramref name="length"/> indexes give different items.</summary>
    private static int Step(ulong baseKey, int slot, ulong i, ulong stride, int length)
    {
        while (Gcd((int)(stride % (ulong)length), length) != 1 && length > 1)
        {
            stride++;
        }

        return (int)((Draws.Derive(baseKey, Draws.Output, slot) % (ulong)length + unchecked(i * stride)) % (ulong)length);
    }

    /// <summary>Gets the phrases of <paramref name="list"/> that <paramref name="text"/> does not already contain (all
    /// of them if it contains every one), so an expansion never repeats what the user wrote.</summary>
    private static string[] Unused(string[] list, string text)
    {
        var unused = list.Where(phrase => !text.Contains(phrase, StringComparison.OrdinalIgnoreCase)).ToArray();
        return unused.Length > 0 ? unused : list;
    }

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

    private static string TrimSentence(string? text) => (text ?? string.Empty).Trim().TrimEnd('.', ' ');

    private static string Capitalize(string text) =>
        text.Length == 0 || char.IsUpper(text[0]) ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
