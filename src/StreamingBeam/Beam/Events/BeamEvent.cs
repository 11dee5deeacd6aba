namespace StreamingBeam;

/// <summary>Something that happened in a beam search. Match on the derived types.</summary>
/// <remarks>
/// <para>A search yields events with these guarantees, and no others:</para>
/// <list type="bullet">
/// <item><description><see cref="SearchStartedEvent"/> first, <see cref="SearchCompletedEvent"/> last (unless the search throws).</description></item>
/// <item><description>For each candidate, <see cref="ImageGeneratedEvent"/> before its <see cref="CandidateScoredEvent"/>, or a
/// single <see cref="CandidateFailedEvent"/> at whatever stage it failed (after its image event if it failed while being
/// scored).</description></item>
/// <item><description>A candidate's events come after its parent's <see cref="CandidateScoredEvent"/>.</description></item>
/// <item><description><see cref="IterationCompletedEvent"/> for iteration t comes after every candidate event of iteration t,
/// and after the <see cref="IterationCompletedEvent"/> of iteration t - 1.</description></item>
/// <item><description>With <see cref="BeamSearchOptions.PromoteCertainSurvivors"/> off, nothing of iteration t + 1 comes
/// before the <see cref="IterationCompletedEvent"/> of iteration t. With it on (the default), events of children whose
/// parent's survival was already certain may: the children of iteration t + 1 can even be scored before the last
/// straggler of iteration t. <see cref="BeamEvent.Iteration"/> always tells which iteration an event belongs to.</description></item>
/// <item><description>Candidate events arrive in completion order, not in id order.</description></item>
/// </list>
/// </remarks>
public abstract class BeamEvent
{
    /// <summary>Initializes a new instance of the <see cref="BeamEvent"/> class.</summary>
    /// <param name="iteration">The iteration the event belongs to.</param>
    /// <param name="elapsed">The time since the search started.</param>
    protected BeamEvent(int iteration, TimeSpan elapsed)
    {
        Iteration = iteration;
        Elapsed = elapsed;
    }

    /// <summary>Gets the iteration the event belongs to, from 0.</summary>
    public int Iteration { get; }

    /// <summary>Gets the time from the start of the search to the event.</summary>
    public TimeSpan Elapsed { get; }
}
