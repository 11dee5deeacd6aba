namespace StreamingBeam;

/// <summary>A candidate's lane failed; the search goes on without it.</summary>
public sealed class CandidateFailedEvent : BeamEvent
{
    /// <summary>Initializes a new instance of the <see cref="CandidateFailedEvent"/> class.</summary>
    /// <param name="iteration">The candidate's iteration.</param>
    /// <param name="elapsed">The time since the search started.</param>
    /// <param name="candidateId">The candidate's id.</param>
    /// <param name="parentId">The parent's id, or <see langword="null"/>.</param>
    /// <param name="stage">The stage that failed.</param>
    /// <param name="exception">What went wrong.</param>
    public CandidateFailedEvent(int iteration, TimeSpan elapsed, string candidateId, string? parentId, BeamStage stage, Exception exception)
        : base(iteration, elapsed)
    {
        CandidateId = candidateId;
        ParentId = parentId;
        Stage = stage;
        Exception = exception;
    }

    /// <summary>Gets the candidate's id.</summary>
    public string CandidateId { get; }

    /// <summary>Gets the parent's id, or <see langword="null"/> in the first iteration.</summary>
    public string? ParentId { get; }

    /// <summary>Gets the stage that failed. <see cref="BeamStage.Critique"/> means the parent's critique failed.</summary>
    public BeamStage Stage { get; }

    /// <summary>Gets what went wrong: the provider's exception, a <see cref="TimeoutException"/> for a stage timeout,
    /// or a <see cref="ProviderOutputException"/> for unusable output.</summary>
    public Exception Exception { get; }
}
