namespace StreamingBeam;

/// <summary>The outcome of a beam search.</summary>
public sealed class BeamSearchResult
{
    /// <summary>Gets the best candidate ever scored, across all iterations (not only the last one's best).</summary>
    public required BeamCandidate Best { get; init; }

    /// <summary>Gets why the search stopped.</summary>
    public required BeamStopReason StopReason { get; init; }

    /// <summary>Gets the number of iterations that were completed, counting the first.</summary>
    public required int Iterations { get; init; }

    /// <summary>Gets the time from the start of the search to its end.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Gets what every provider call of the search consumed together.</summary>
    public required ProviderUsage Usage { get; init; }

    /// <summary>Gets the number of candidates scored.</summary>
    public required int CandidatesScored { get; init; }

    /// <summary>Gets the number of candidates that failed.</summary>
    public required int CandidatesFailed { get; init; }

    /// <summary>Gets how many times a lane's prompts repeated a candidate the search already had (each an image not paid
    /// for twice): it asked again, or gave up its slot (<see cref="CandidateSkippedEvent"/>). Counts this run only when
    /// the search was resumed.</summary>
    public int DuplicatesAvoided { get; init; }
}
