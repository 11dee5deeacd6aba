namespace StreamingBeam;

/// <summary>A candidate's prompts repeated a candidate the search already had, even after asking again: its lane rendered
/// nothing, and its slot in the iteration stays empty.</summary>
/// <remarks>Not a failure: it does not count toward <see cref="BeamSearchOptions.MaxFailureRatio"/>. See
/// <see cref="BeamSearchOptions.MaxDuplicateRetries"/>.</remarks>
public sealed class CandidateSkippedEvent : BeamEvent
{
    /// <summary>Initializes a new instance of the <see cref="CandidateSkippedEvent"/> class.</summary>
    /// <param name="iteration">The candidate's iteration.</param>
    /// <param name="elapsed">The time since the search started.</param>
    /// <param name="candidateId">The candidate's id.</param>
    /// <param name="parentId">The parent's id, or <see langword="null"/>.</param>
    /// <param name="duplicateOf">The id of the candidate whose prompts it repeated.</param>
    public CandidateSkippedEvent(int iteration, TimeSpan elapsed, string candidateId, string? parentId, string duplicateOf)
        : base(iteration, elapsed)
    {
        CandidateId = candidateId;
        ParentId = parentId;
        DuplicateOf = duplicateOf;
    }

    /// <summary>Gets the candidate's id.</summary>
    public string CandidateId { get; }

    /// <summary>Gets the parent's id, or <see langword="null"/> in the first iteration.</summary>
    public string? ParentId { get; }

    /// <summary>Gets the id of the candidate whose WHAT and HOW (or combined prompt) it repeated, which was rendered
    /// once.</summary>
    public string DuplicateOf { get; }
}
