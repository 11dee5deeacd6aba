namespace StreamingBeam;

/// <summary>A candidate is fully scored.</summary>
public sealed class CandidateScoredEvent : BeamEvent
{
    /// <summary>Initializes a new instance of the <see cref="CandidateScoredEvent"/> class.</summary>
    /// <param name="candidate">The scored candidate.</param>
    /// <param name="elapsed">The time since the search started.</param>
    public CandidateScoredEvent(BeamCandidate candidate, TimeSpan elapsed)
        : base((candidate ?? throw new ArgumentNullException(nameof(candidate))).Iteration, elapsed) => Candidate = candidate;

    /// <summary>Gets the scored candidate: prompts, image, scores, analyses, total and stage durations.</summary>
    public BeamCandidate Candidate { get; }
}
