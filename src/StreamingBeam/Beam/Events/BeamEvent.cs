namespace StreamingBeam;

/// <summary>Something that happened in a beam search. Match on the derived types.</summary>
/// <remarks>
/// <para>A search yields, in this order of guarantees:</para>
/// <list type="bullet">
/// <item><description><see cref="SearchStartedEvent"/> first, <see cref="SearchCompletedEvent"/> last (unless the search throws).</description></item>
/// <item><description>For each candidate, <see cref="ImageGeneratedEvent"/> before its <see cref="CandidateScoredEvent"/>, or a
/// single <see cref="CandidateFailedEvent"/> at whatever stage it failed.</description></item>
/// <item><description><see cref="IterationCompletedEvent"/> for iteration t after every candidate event of iteration t, and
/// before any event of iteration t + 1.</description></item>
/// <item><description>Within an iteration, candidate events arrive in completion order, not index order.</description></item>
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
