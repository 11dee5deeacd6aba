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

    /// <summary>Initializes a new instance of the <see cref="SearchStartedEvent"/> class for a resumed search.</summary>
    /// <param name="checkpoint">The checkpoint the search resumes from.</param>
    /// <param name="elapsed">The search's elapsed time, counted on from the checkpoint's.</param>
    public SearchStartedEvent(BeamCheckpoint checkpoint, TimeSpan elapsed)
        : base((checkpoint ?? throw new ArgumentNullException(nameof(checkpoint))).Iteration + 1, elapsed)
    {
        Prompt = checkpoint.Prompt;
        Options = checkpoint.Options;
        ResumedFrom = checkpoint;
    }

    /// <summary>Gets the user's prompt.</summary>
    public string Prompt { get; }

    /// <summary>Gets a snapshot of the options the search runs with. Do not change it.</summary>
    public BeamSearchOptions Options { get; }

    /// <summary>Gets the checkpoint a resumed search continues from, or <see langword="null"/> for a new search. A resumed
    /// search's first event has the iteration after the checkpoint's.</summary>
    public BeamCheckpoint? ResumedFrom { get; }
}
