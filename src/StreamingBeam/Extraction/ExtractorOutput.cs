using System.Text.Json.Nodes;

namespace StreamingBeam;

/// <summary>What an <see cref="IExtractor"/> found: a JSON-shaped token tree, and what finding it cost.</summary>
public sealed class ExtractorOutput
{
    /// <summary>Initializes a new instance of the <see cref="ExtractorOutput"/> class.</summary>
    /// <param name="tokens">The tokens found. The run takes ownership: do not change the object afterwards.</param>
    /// <param name="usage">What the call consumed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="tokens"/> is <see langword="null"/>.</exception>
    public ExtractorOutput(JsonObject tokens, ProviderUsage usage = default)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        Tokens = tokens;
        Usage = usage;
    }

    /// <summary>Gets the tokens found, a tree that consumers can deep-merge with other extractors' tokens.</summary>
    public JsonObject Tokens { get; }

    /// <summary>Gets what the call consumed.</summary>
    public ProviderUsage Usage { get; }
}
