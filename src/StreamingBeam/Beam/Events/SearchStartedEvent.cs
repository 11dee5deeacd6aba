namespace StreamingBeam;

/// <summary>The search has validated its options and started its first iteration.</summary>
public sealed class SearchStartedEvent : BeamEvent
{
    /// <summary>Initializes a new instance of the <see cref="SearchStartedEvent"/> class.</summary>
    /// <param name="prompt">The user's prompt.</param>
    /// <param name="options">A snapshot of the options the search runs with.</param>
    /// <param name="elapsed">The time since the search started.</param>
    public SearchStartedEvent(string prompt, BeamSearchOptions options, TimeSpan elapsed)
        : base(0, elapsed)
    {
        Prompt = prompt;
        Options = options;
    }

    /// <summary>Gets the user's prompt.</summary>
    public string Prompt { get; }

    /// <summary>Gets a snapshot of the options the search runs with. Do not change it.</summary>
    public BeamSearchOptions Options { get; }
}
