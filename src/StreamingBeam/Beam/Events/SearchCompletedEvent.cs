namespace StreamingBeam;

/// <summary>The search has ended normally; always the last event.</summary>
public sealed class SearchCompletedEvent : BeamEvent
{
    /// <summary>Initializes a new instance of the <see cref="SearchCompletedEvent"/> class.</summary>
    /// <param name="result">The search's outcome.</param>
    /// <param name="iteration">The last iteration that ran.</param>
    public SearchCompletedEvent(BeamSearchResult result, int iteration)
        : base(iteration, (result ?? throw new ArgumentNullException(nameof(result))).Elapsed) => Result = result;

    /// <summary>Gets the search's outcome: the best candidate ever, the stop reason, usage and cost.</summary>
    public BeamSearchResult Result { get; }
}
