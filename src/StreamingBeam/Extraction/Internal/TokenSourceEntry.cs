using System.Text;
using System.Text.Json.Nodes;

namespace StreamingBeam.Extraction.Internal;

/// <summary>What the document knows about one value: who supplied it and with what weight.</summary>
internal sealed class TokenSourceEntry(string? source, double weight, Dictionary<string, TokenSourceEntry>? children)
{
    /// <summary>Gets the extractor that supplied the value; for an object, the one that supplied all of it, or null.</summary>
    public string? Source { get; private set; } = source;

    /// <summary>Gets the value's weight; for an object, the highest weight in it (its creator's while empty).</summary>
    public double Weight { get; private set; } = weight;

    /// <summary>Gets the entries of an object's properties, or null for any other value.</summary>
    public Dictionary<string, TokenSourceEntry>? Children { get; } = children;

    public void Summarize()
    {
        if (Children is not { Count: > 0 })
        {
            return;
        }

        string? single = null;
        var mixed = false;
        var max = double.NegativeInfinity;
        foreach (var child in Children.Values)
        {
            max = Math.Max(max, child.Weight);
            if (child.Source is null || (single is not null && !string.Equals(single, child.Source, StringComparison.Ordinal)))
            {
                mixed = true;
            }

            single ??= child.Source;
        }

        Weight = max;
        Source = mixed ? null : single;
    }

    /// <summary>Describes a value an extractor supplied: one entry per object property, all of that extractor's.</summary>
    public static TokenSourceEntry Describe(JsonNode? value, string source, double weight)
    {
        if (value is not JsonObject obj)
        {
            return new TokenSourceEntry(source, weight, children: null);
        }

        var root = new TokenSourceEntry(source, weight, new Dictionary<string, TokenSourceEntry>(obj.Count, StringComparer.Ordinal));
        var pending = new Stack<(JsonObject Value, TokenSourceEntry Entry)>();
        pending.Push((obj, root));
        while (pending.TryPop(out var frame))
        {
            foreach (var (key, child) in frame.Value)
            {
                if (child is JsonObject childObject)
                {
                    var entry = new TokenSourceEntry(source, weight, new Dictionary<string, TokenSourceEntry>(childObject.Count, StringComparer.Ordinal));
                    frame.Entry.Children![key] = entry;
                    pending.Push((childObject, entry));
                }
                else
                {
                    frame.Entry.Children![key] = new TokenSourceEntry(source, weight, children: null);
                }
            }
        }

        return root;
    }

    /// <summary>Lists who supplied each value under <paramref name="root"/>, keyed by JSON Pointer.</summary>
    public static void Collect(TokenSourceEntry root, StringBuilder path, Dictionary<string, string> sources)
    {
        // Depth-first in document order, on a heap stack: a document can be deeper than the thread's stack allows.
        var pending = new Stack<(IEnumerator<KeyValuePair<string, TokenSourceEntry>> Children, int PathLength)>();
        pending.Push((root.Children!.GetEnumerator(), path.Length));
        while (pending.TryPeek(out var frame))
        {
            if (!frame.Children.MoveNext())
            {
                frame.Children.Dispose();
                pending.Pop();
                continue;
            }

            var (key, child) = frame.Children.Current;
            path.Length = frame.PathLength;
            path.Append('/').Append(key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal));
            if (child.Children is { Count: > 0 })
            {
                pending.Push((child.Children.GetEnumerator(), path.Length));
            }
            else if (child.Source is not null)
            {
                sources[path.ToString()] = child.Source;
            }
        }
    }
}
