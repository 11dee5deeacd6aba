namespace StreamingBeam;

/// <summary>Where a recorded beam search stands: its prompt and options, the state right after its last recorded
/// ranking (everything needed to continue it exactly as if it had never stopped), and how much of the work after that
/// ranking is recorded too.</summary>
/// <remarks>
/// <para>
/// A search with <see cref="BeamSearchOptions.CheckpointId"/> records its progress in a journal as it happens (see
/// <see cref="IBeamCheckpointStore"/>); this type is that journal read back
/// (<see cref="BeamCheckpointStoreExtensions.LoadCheckpointAsync"/>, <see cref="SearchStartedEvent.ResumedFrom"/>).
/// </para>
/// <para>
/// A resumed search continues from <see cref="Iteration"/>'s ranking and answers the <see cref="RecordedCalls"/>
/// provider calls recorded after it from the journal instead of making them again: an image rendered before the
/// interruption is not rendered again, a scored candidate not scored again. <see cref="Usage"/> counts only the
/// iterations up to <see cref="Iteration"/>; the recorded calls after it are counted when the resumed search answers
/// them, so its totals equal an uninterrupted search's.
/// </para>
/// </remarks>
public sealed class BeamCheckpoint
{
    /// <summary>The version of the journal's shape that this library writes and reads: 2, the journal of records
    /// (version 1 was one document per ranking).</summary>
    public const int CurrentFormatVersion = 2;

    /// <summary>Gets the version of the journal's shape; this version reads <see cref="CurrentFormatVersion"/> only.</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>Gets the id the search saves under (<see cref="BeamSearchOptions.CheckpointId"/>).</summary>
    public required string CheckpointId { get; init; }

    /// <summary>Gets the user's prompt.</summary>
    public required string Prompt { get; init; }

    /// <summary>Gets the options the search runs with.</summary>
    public required BeamSearchOptions Options { get; init; }

    /// <summary>Gets the iteration whose ranking this checkpoint follows, from 0; -1 when the search was interrupted
    /// before its first ranking (a resume then starts with iteration 0, answering what was recorded of it).</summary>
    public required int Iteration { get; init; }

    /// <summary>Gets the ranked survivors of that iteration, best first: the parents of the next one, with their prompts,
    /// scores, critiques and images. Empty before the first ranking.</summary>
    public required IReadOnlyList<BeamCandidate> Survivors { get; init; }

    /// <summary>Gets the best candidate scored up to that ranking, or <see langword="null"/> before the first ranking.</summary>
    public required BeamCandidate? Best { get; init; }

    /// <summary>Gets the best total after each ranking before this one (the convergence rule's history).</summary>
    public required IReadOnlyList<double> BestTotals { get; init; }

    /// <summary>Gets how many of the iteration's own candidates were scored.</summary>
    public required int Scored { get; init; }

    /// <summary>Gets how many of the iteration's own candidates failed.</summary>
    public required int Failed { get; init; }

    /// <summary>Gets what the search's provider calls consumed up to and including <see cref="Iteration"/>.</summary>
    public required ProviderUsage Usage { get; init; }

    /// <summary>Gets the cost of <see cref="Iteration"/> alone, which the cost budget uses to decide on the next one.</summary>
    public required decimal LastIterationCost { get; init; }

    /// <summary>Gets the number of images generated up to and including <see cref="Iteration"/>.</summary>
    public required int Images { get; init; }

    /// <summary>Gets the number of candidates scored up to and including <see cref="Iteration"/>.</summary>
    public required int CandidatesScored { get; init; }

    /// <summary>Gets the number of candidates failed up to and including <see cref="Iteration"/>.</summary>
    public required int CandidatesFailed { get; init; }

    /// <summary>Gets the search's elapsed time at that ranking; a resumed search counts on from it.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Gets when that ranking was recorded (when the search started, before the first ranking), from the
    /// engine's <see cref="TimeProvider"/>.</summary>
    public required DateTimeOffset SavedAt { get; init; }

    /// <summary>Gets how many provider calls after the ranking are recorded (expansions, critiques, refinements,
    /// combined prompts, images, scores, and calls that failed): a resumed search answers them from the journal.</summary>
    public int RecordedCalls { get; init; }

    /// <summary>Gets how many of <see cref="RecordedCalls"/> rendered an image, which a resumed search does not pay for again.</summary>
    public int RecordedImages { get; init; }
}
