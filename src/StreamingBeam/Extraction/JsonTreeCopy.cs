using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StreamingBeam;

/// <summary>Copies a <see cref="JsonNode"/> tree of any depth without recursion.</summary>
/// <remarks>
/// <para>
/// <see cref="JsonNode.DeepClone"/> recurses once per level, so a deep enough tree (an extractor's output is input we
/// do not control) overflows the stack and kills the process: no exception handler can catch that. This copy keeps
/// its own stack on the heap instead.
/// </para>
/// <para>
/// Two more recursions hide in <see cref="JsonNode"/> and are avoided here. Reading <see cref="JsonNode.Options"/>
/// (which <see cref="JsonNode.DeepClone"/> does, even for a plain value) asks the parent, which asks its parent, up
/// to the root; so a value deeper than <see cref="ShallowDepth"/> is copied by writing and reading it back, and every
/// container is created with the options of the tree's root, read once. And attaching a node makes
/// <see cref="JsonNode"/> walk up the new parent's ancestors to rule out a cycle, so containers are built after their
/// children (bottom up), each still detached when its children are added.
/// </para>
/// </remarks>
internal static class JsonTreeCopy
{
    /// <summary>The depth up to which a value is copied with its own <see cref="JsonNode.DeepClone"/> (fast, and
    /// keeps the value's representation): its options lookup recurses at most this many levels.</summary>
    private const int ShallowDepth = 256;

    /// <summary>Returns a deep copy of <paramref name="node"/>, detached from any parent.</summary>
    /// <param name="node">The node, or <see langword="null"/> (a JSON null).</param>
    /// <returns>The copy, or <see langword="null"/>.</returns>
    public static JsonNode? Of(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        var (options, baseDepth) = RootOptions(node);
        if (node is not (JsonObject or JsonArray))
        {
            return CopyValue(node, baseDepth);
        }

        var pending = new Stack<Frame>();
        pending.Push(Frame.For(node, baseDepth));
        JsonNode? done = null;
        while (pending.TryPeek(out var frame))
        {
            if (frame.TryNextChild(out var child))
            {
                if (child is JsonObject or JsonArray)
                {
                    pending.Push(Frame.For(child, frame.Depth + 1));
                }
                else
                {
                    frame.Copies.Add(CopyValue(child, frame.Depth + 1));
                }

                continue;
            }

            pending.Pop();
            done = frame.Build(options);
            if (pending.TryPeek(out var parent))
            {
                parent.Copies.Add(done);
            }
        }

        return done;
    }

    /// <summary>Says whether <paramref name="node"/> nests more than <paramref name="maxDepth"/> containers (objects
    /// and arrays) on some path, counting the containers above it in its own tree. Stops at the first container
    /// beyond the limit, so it never reads the properties of anything deeper.</summary>
    /// <param name="node">The tree.</param>
    /// <param name="maxDepth">The most containers allowed on a path.</param>
    /// <returns><see langword="true"/> when some path is deeper than <paramref name="maxDepth"/>.</returns>
    public static bool IsDeeperThan(JsonNode node, int maxDepth)
    {
        var ancestors = 0;
        for (var parent = node.Parent; parent is not null; parent = parent.Parent)
        {
            if (++ancestors >= maxDepth)
            {
                return true;
            }
        }

        if (node is not (JsonObject or JsonArray))
        {
            return false;
        }

        var pending = new Stack<(JsonNode Container, int Depth)>();
        pending.Push((node, ancestors + 1));
        while (pending.TryPop(out var item))
        {
            if (item.Depth > maxDepth)
            {
                return true;
            }

            IEnumerable<JsonNode?> children = item.Container is JsonObject obj ? obj.Select(p => p.Value) : (JsonArray)item.Container;
            foreach (var child in children)
            {
                if (child is JsonObject or JsonArray)
                {
                    pending.Push((child, item.Depth + 1));
                }
            }
        }

        return false;
    }

    /// <summary>Gets the options of the tree <paramref name="node"/> belongs to, and how deep it is in that tree,
    /// walking up without recursion.</summary>
    private static (JsonNodeOptions? Options, int Depth) RootOptions(JsonNode node)
    {
        var depth = 0;
        var root = node;
        while (root.Parent is { } parent)
        {
            root = parent;
            depth++;
        }

        // The root has no parent, so its options lookup does not recurse.
        return (root.Options, depth);
    }

    private static JsonNode? CopyValue(JsonNode? value, int depth)
    {
        if (value is null || depth <= ShallowDepth)
        {
            return value?.DeepClone();
        }

        // Written and read back: writing a value does not consult its options, so nothing walks up the tree.
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            value.WriteTo(writer);
        }

        return JsonNode.Parse(buffer.WrittenSpan);
    }

    /// <summary>One container being copied: its children (names and nodes) and the copies made of them so far.</summary>
    private sealed class Frame
    {
        private readonly string[]? _names;
        private readonly JsonNode?[] _children;
        private int _next;

        private Frame(string[]? names, JsonNode?[] children, int depth)
        {
            _names = names;
            _children = children;
            Depth = depth;
            Copies = new List<JsonNode?>(children.Length);
        }

        public int Depth { get; }

        public List<JsonNode?> Copies { get; }

        public static Frame For(JsonNode container, int depth)
        {
            if (container is JsonObject obj)
            {
                var names = new string[obj.Count];
                var children = new JsonNode?[obj.Count];
                var i = 0;
                foreach (var (name, child) in obj)
                {
                    names[i] = name;
                    children[i++] = child;
                }

                return new Frame(names, children, depth);
            }

            return new Frame(null, [.. (JsonArray)container], depth);
        }

        public bool TryNextChild(out JsonNode? child)
        {
            if (_next < _children.Length)
            {
                child = _children[_next++];
                return true;
            }

            child = null;
            return false;
        }

        public JsonNode Build(JsonNodeOptions? options)
        {
            if (_names is not null)
            {
                var obj = new JsonObject(options);
                for (var i = 0; i < _names.Length; i++)
                {
                    obj.Add(_names[i], Copies[i]);
                }

                return obj;
            }

            var array = new JsonArray(options);
            foreach (var copy in Copies)
            {
                array.Add(copy);
            }

            return array;
        }
    }
}
