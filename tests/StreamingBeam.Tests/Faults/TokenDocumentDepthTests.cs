using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StreamingBeam.Tests.Faults;

/// <summary>Issue #15 item 10: a token tree of any depth never overflows the stack (which would kill the process,
/// test host included): up to <see cref="TokenDocument.MaxDepth"/> it merges, beyond it it is rejected with a clear
/// error. Every scenario runs on a thread with an ordinary 1 MB stack.</summary>
public class TokenDocumentDepthTests
{
    private const int Deepest = TokenDocument.MaxDepth;

    [Fact]
    public void Merge_100000DeepObject_IsRejectedBeforeAnythingIsMerged() => OnNormalStack(() =>
    {
        var document = new TokenDocument();
        document.Merge(new JsonObject { ["kept"] = 1 }, "first");

        var error = Assert.Throws<ArgumentException>(() => document.Merge(Deep(100_000, leaf: 1), "deep"));

        Assert.Equal("tokens", error.ParamName);
        Assert.Contains("'deep'", error.Message, StringComparison.Ordinal);
        Assert.Contains("more than 1000 ", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, document.MergedCount);
        Assert.Equal("{\"kept\":1}", document.Root.ToJsonString());
    });

    [Fact]
    public void Merge_VeryDeepParsedDocument_IsRejectedWithoutReadingItsDepths() => OnNormalStack(
        () =>
        {
            // A lazily parsed object reads its ancestors' options recursively when first enumerated: the rejection
            // must come before anything that deep is read. On a 128 KB stack, 8 000 levels of that recursion
            // overflow while the 1000 the limit allows do not (parsing deeper documents is slow and proves no more).
            var parsed = Parse(8_000);

            Assert.Throws<ArgumentException>(() => new TokenDocument().Merge(parsed, "deep"));
        },
        stackSize: 128 * 1024);

    [Fact]
    public void Merge_DeepArraysUnderAnObject_CountTowardTheLimit() => OnNormalStack(() =>
    {
        JsonNode node = new JsonArray(1);
        for (var i = 0; i < 100_000; i++)
        {
            node = new JsonArray(node);
        }

        Assert.Throws<ArgumentException>(() => new TokenDocument().Merge(new JsonObject { ["a"] = node }, "arrays"));
    });

    [Fact]
    public void Merge_TokensThatAreASubtreeOfADeepTree_CountTheirAncestors() => OnNormalStack(() =>
    {
        var root = Deep(Deepest + 5, leaf: 1);
        var inner = root;
        for (var i = 0; i < Deepest; i++)
        {
            inner = (JsonObject)inner["k"]!;
        }

        Assert.Throws<ArgumentException>(() => new TokenDocument().Merge(inner, "subtree"));
    });

    [Fact]
    public void Merge_ObjectsAtTheDepthLimit_MergeCopyAndAttribute() => OnNormalStack(() =>
    {
        // Deep(n) nests n + 1 objects: the deepest tree allowed.
        var first = Deep(Deepest - 1, leaf: 1);
        var second = Deep(Deepest - 1, leaf: 2);
        var document = new TokenDocument();

        document.Merge(first, "a");
        document.Merge(second, "b", weight: 2);

        // Merged level by level down to the leaf, where the heavier value won.
        var (depth, leaf) = Walk(document.Root);
        Assert.Equal(Deepest - 1, depth);
        Assert.Equal(2, leaf!["v"]!.GetValue<int>());
        var leafPath = string.Concat(Enumerable.Repeat("/k", Deepest - 1)) + "/v";
        Assert.Equal("b", document.GetSource(leafPath));
        Assert.Equal("b", document.GetSource(string.Empty));
        Assert.Equal(new KeyValuePair<string, string>(leafPath, "b"), Assert.Single(document.GetSources()));

        // Copied, never re-parented: the inputs are untouched.
        Assert.Null(first.Parent);
        Assert.Equal(1, Walk(first).Leaf!["v"]!.GetValue<int>());

        // A lighter value does not replace the whole deep object; a heavier one does.
        document.Merge(new JsonObject { ["k"] = 0 }, "c", weight: 1);
        Assert.Equal(Deepest - 1, Walk(document.Root).Depth);
        document.Merge(new JsonObject { ["k"] = 0 }, "c", weight: 3);
        Assert.Equal(0, document.Root["k"]!.GetValue<int>());
        Assert.Equal("c", document.GetSource("/k"));
    });

    [Fact]
    public void Merge_ParsedDocumentAtTheDepthLimit_Merges() => OnNormalStack(() =>
    {
        var document = new TokenDocument();

        var parsed = Parse(Deepest - 1);
        document.Merge(parsed, "a");
        document.Merge(parsed, "b");

        var (depth, leaf) = Walk(document.Root);
        Assert.Equal(Deepest - 1, depth);
        Assert.Equal(1, leaf!["v"]!.GetValue<int>());
    });

    [Fact]
    public void Merge_ArraysAndObjectsAtTheDepthLimit_AreCopiedWhole() => OnNormalStack(() =>
    {
        JsonNode node = new JsonObject { ["v"] = "x" };
        for (var i = 0; i < Deepest - 2; i++)
        {
            node = i % 2 == 0 ? new JsonArray(node) : new JsonObject { ["k"] = node };
        }

        var document = new TokenDocument();
        document.Merge(new JsonObject { ["root"] = node }, "a");

        var current = document.Root["root"];
        var levels = 0;
        while (current is JsonArray or JsonObject)
        {
            current = current is JsonArray array ? array[0] : current["k"] ?? current["v"];
            levels++;
        }

        Assert.Equal(Deepest - 1, levels);
        Assert.Equal("x", current!.GetValue<string>());
        Assert.NotSame(node, document.Root["root"]);
    });

    /// <summary>Runs <paramref name="scenario"/> on a thread with a 1 MB stack, the size of an ordinary thread's, so
    /// that recursion per level would overflow it well before the depths tested here.</summary>
    private static void OnNormalStack(Action scenario, int stackSize = 1024 * 1024)
    {
        Exception? error = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    scenario();
                }
#pragma warning disable CA1031 // Rethrown on the test's thread.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    error = ex;
                }
            },
            maxStackSize: stackSize);
        thread.Start();
        thread.Join();
        if (error is not null)
        {
            ExceptionDispatchInfo.Throw(error);
        }
    }

    /// <summary>Builds <c>{"k": {"k": ... {"v": leaf} }}</c>, <paramref name="depth"/> levels of "k" (so
    /// <paramref name="depth"/> + 1 objects), bottom up so that building it does not walk the ancestors at every level.</summary>
    private static JsonObject Deep(int depth, int leaf)
    {
        var node = new JsonObject { ["v"] = leaf };
        for (var i = 0; i < depth; i++)
        {
            node = new JsonObject { ["k"] = node };
        }

        return node;
    }

    /// <summary>Parses the same shape as <see cref="Deep"/> from JSON text, lazily, as <see cref="JsonNode.Parse(string, JsonNodeOptions?, JsonDocumentOptions)"/> does.</summary>
    private static JsonObject Parse(int depth)
    {
        var json = new StringBuilder((depth * 6) + 10);
        json.Insert(0, "{\"k\":", depth).Append("{\"v\":1}").Append('}', depth);
        return JsonNode.Parse(json.ToString(), documentOptions: new JsonDocumentOptions { MaxDepth = depth + 2 })!.AsObject();
    }

    private static (int Depth, JsonObject? Leaf) Walk(JsonObject root)
    {
        var depth = 0;
        var current = root;
        while (current["k"] is JsonObject next)
        {
            current = next;
            depth++;
        }

        return (depth, current);
    }
}
