using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using StreamingBeam.Extraction.Internal;

namespace StreamingBeam;

/// <summary>Folds the token trees of extraction updates into one JSON document, in arrival order, and remembers which
/// extractor supplied each value.</summary>
/// <remarks>
/// <para>
/// <b>Merge rule.</b> Objects merge key by key, at every depth. Any other pair of values under the same key (two
/// scalars, two arrays, an array and an object, a value and <c>null</c>) is a conflict, settled by weight
/// (<see cref="ExtractionUpdate.Weight"/>): the higher weight wins; between equal weights the later value wins
/// (or the earlier one, with <see cref="TokenMergeOptions.PreferEarlierOnEqualWeight"/>). An existing object's weight
/// is the highest weight of the values in it, so a value replaces a whole object only if it outweighs everything in
/// it. An extractor always replaces its own earlier values. Arrays are values: they are replaced, never concatenated.
/// </para>
/// <para>
/// <b>Sources.</b> <see cref="GetSource"/> and <see cref="GetSources"/> name the extractor that supplied each value,
/// addressed by JSON Pointer (RFC 6901), for example <c>/colors/primary</c>.
/// </para>
/// <para>
/// Values are copied into the document, so the updates' token trees are never changed or re-parented. The class is
/// not thread-safe: merge from one consumer loop.
/// </para>
/// <para>
/// <b>Depth.</b> A token tree may nest up to <see cref="MaxDepth"/> objects and arrays; a deeper one is rejected
/// with <see cref="ArgumentException"/> before anything is merged, so it can never overflow the stack (which would
/// end the process, not throw). Merging, copying and <see cref="GetSources"/> use no recursion of their own. The limit
/// exists because System.Text.Json itself recurses over a node's ancestors when it first reads a lazily parsed
/// object's properties, which no caller can avoid; it equals the writer's default <c>MaxDepth</c>, so a deeper
/// document could not be serialized anyway.
/// </para>
/// </remarks>
public sealed class TokenDocument
{
    /// <summary>The most objects and arrays a merged token tree may nest, counting the tree's own root object: 1000,
    /// the default <c>MaxDepth</c> of <see cref="System.Text.Json.Utf8JsonWriter"/>, so that a merged document can
    /// always be serialized with the defaults.</summary>
    public const int MaxDepth = 1000;

    private readonly TokenSourceEntry _root = new(source: null, weight: double.NegativeInfinity, children: new(StringComparer.Ordinal));
    private readonly bool _preferEarlier;
    private readonly bool _includeProvisional;

    /// <summary>Initializes a new instance of the <see cref="TokenDocument"/> class, empty.</summary>
    /// <param name="options">How conflicts are settled and which updates are taken, or <see langword="null"/> for the defaults.</param>
    public TokenDocument(TokenMergeOptions? options = null)
    {
        _preferEarlier = options?.PreferEarlierOnEqualWeight ?? false;
        _includeProvisional = options?.IncludeProvisional ?? false;
    }

    /// <summary>Gets the merged document. Read it or serialize it; do not change it, or <see cref="GetSources"/> will
    /// no longer match it.</summary>
    public JsonObject Root { get; } = new();

    /// <summary>Gets how many token trees have been merged.</summary>
    public int MergedCount { get; private set; }

    /// <summary>Merges every update of a sequence, in order.</summary>
    /// <param name="updates">The updates.</param>
    /// <param name="options">How conflicts are settled and which updates are taken, or <see langword="null"/> for the defaults.</param>
    /// <returns>The merged document.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="updates"/> is <see langword="null"/>.</exception>
    public static TokenDocument Create(IEnumerable<ExtractionUpdate> updates, TokenMergeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var document = new TokenDocument(options);
        foreach (var update in updates)
        {
            document.Merge(update);
        }

        return document;
    }

    /// <summary>Reads a stream of updates to its end, merging each as it arrives.</summary>
    /// <param name="updates">The updates, for example <see cref="ExtractionEngine.ExtractStreamingAsync"/>.</param>
    /// <param name="options">How conflicts are settled and which updates are taken, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the reading (and so the run).</param>
    /// <returns>The merged document.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="updates"/> is <see langword="null"/>.</exception>
    public static async Task<TokenDocument> CreateAsync(IAsyncEnumerable<ExtractionUpdate> updates, TokenMergeOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var document = new TokenDocument(options);
        await foreach (var update in updates.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            document.Merge(update);
        }

        return document;
    }

    /// <summary>Merges an update's tokens, weighted by <see cref="ExtractionUpdate.Weight"/> and attributed to
    /// <see cref="ExtractionUpdate.ExtractorName"/>.</summary>
    /// <param name="update">The update.</param>
    /// <returns><see langword="true"/> when the update had tokens and was merged; <see langword="false"/> for failed,
    /// skipped and timed-out updates, and for provisional ones unless <see cref="TokenMergeOptions.IncludeProvisional"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="update"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The update's tokens nest more than <see cref="MaxDepth"/> objects and
    /// arrays; nothing is merged.</exception>
    public bool Merge(ExtractionUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.Tokens is null || (update.IsProvisional && !_includeProvisional))
        {
            return false;
        }

        Merge(update.Tokens, update.ExtractorName, update.Weight);
        return true;
    }

    /// <summary>Merges a token tree.</summary>
    /// <param name="tokens">The tokens; they are copied, not changed.</param>
    /// <param name="source">The name of the extractor that supplied them.</param>
    /// <param name="weight">How much the tokens count in conflicts; the higher weight wins.</param>
    /// <exception cref="ArgumentNullException"><paramref name="tokens"/> or <paramref name="source"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="weight"/> is not a finite number.</exception>
    /// <exception cref="ArgumentException"><paramref name="tokens"/> nests more than <see cref="MaxDepth"/> objects and
    /// arrays; nothing is merged.</exception>
    public void Merge(JsonObject tokens, string source, double weight = 1.0)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(source);
        if (!double.IsFinite(weight))
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "The weight must be a finite number.");
        }

        if (JsonTreeCopy.IsDeeperThan(tokens, MaxDepth))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The tokens of '{source}' nest more than {MaxDepth} objects and arrays (TokenDocument.MaxDepth); nothing was merged."),
                nameof(tokens));
        }

        MergeObject(Root, _root, tokens, source, weight);
        MergedCount++;
    }

    /// <summary>Gets the name of the extractor that supplied the value at <paramref name="path"/>.</summary>
    /// <param name="path">A JSON Pointer, for example <c>/colors/primary</c>.</param>
    /// <returns>The extractor's name; for an object, the name of the one extractor that supplied everything in it, or
    /// <see langword="null"/> when several did; <see langword="null"/> when the document has no such value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is neither empty nor starts with <c>/</c>.</exception>
    public string? GetSource(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            return _root.Source;
        }

        if (path[0] != '/')
        {
            throw new ArgumentException($"'{path}' is not a JSON Pointer: it must be empty or start with '/'.", nameof(path));
        }

        var entry = _root;
        foreach (var segment in path[1..].Split('/'))
        {
            var key = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (entry.Children is null || !entry.Children.TryGetValue(key, out var child))
            {
                return null;
            }

            entry = child;
        }

        return entry.Source;
    }

    /// <summary>Gets the extractor that supplied each value of the document, keyed by JSON Pointer. Every scalar,
    /// array, <c>null</c> and empty object is listed; non-empty objects are not (their contents are).</summary>
    /// <returns>A new dictionary, in document order.</returns>
    public IReadOnlyDictionary<string, string> GetSources()
    {
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        var path = new StringBuilder();
        TokenSourceEntry.Collect(_root, path, sources);
        return sources;
    }

    private void MergeObject(JsonObject target, TokenSourceEntry targetEntry, JsonObject incoming, string source, double weight)
    {
        // Objects merged into, parents first; summarized in reverse so that every child is summarized before its
        // parent. A heap stack instead of recursion: the incoming tree can be deeper than the thread's stack allows.
        var merged = new List<TokenSourceEntry>();
        var pending = new Stack<(JsonObject Target, TokenSourceEntry Entry, JsonObject Incoming)>();
        pending.Push((target, targetEntry, incoming));
        while (pending.TryPop(out var frame))
        {
            merged.Add(frame.Entry);
            var children = frame.Entry.Children!;
            foreach (var (key, value) in frame.Incoming)
            {
                if (!children.TryGetValue(key, out var existing))
                {
                    frame.Target[key] = JsonTreeCopy.Of(value);
                    children[key] = TokenSourceEntry.Describe(value, source, weight);
                }
                else if (existing.Children is not null && value is JsonObject incomingObject && frame.Target[key] is JsonObject targetObject)
                {
                    pending.Push((targetObject, existing, incomingObject));
                }
                else if (Wins(existing, source, weight))
                {
                    frame.Target[key] = JsonTreeCopy.Of(value);
                    children[key] = TokenSourceEntry.Describe(value, source, weight);
                }
            }
        }

        for (var i = merged.Count - 1; i >= 0; i--)
        {
            merged[i].Summarize();
        }
    }

    private bool Wins(TokenSourceEntry existing, string source, double weight)
    {
        if (string.Equals(existing.Source, source, StringComparison.Ordinal))
        {
            return true;
        }

        return weight > existing.Weight || (weight == existing.Weight && !_preferEarlier);
    }
}
