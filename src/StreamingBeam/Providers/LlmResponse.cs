namespace StreamingBeam;

/// <summary>A piece of text written by an <see cref="ILlmClient"/>, with what writing it cost.</summary>
public sealed class LlmResponse
{
    /// <summary>Initializes a new instance of the <see cref="LlmResponse"/> class.</summary>
    /// <param name="text">The text the model wrote.</param>
    /// <param name="usage">What the call consumed.</param>
    public LlmResponse(string text, ProviderUsage usage = default)
    {
        Text = text;
        Usage = usage;
    }

    /// <summary>Gets the text the model wrote.</summary>
    /// <remarks>Engines treat a null, empty or white-space text as a provider failure.</remarks>
    public string Text { get; }

    /// <summary>Gets what the call consumed.</summary>
    public ProviderUsage Usage { get; }
}
