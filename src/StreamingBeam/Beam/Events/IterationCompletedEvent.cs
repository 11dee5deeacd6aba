namespace StreamingBeam;

/// <summary>Every candidate of an iteration is scored or has failed, and the iteration is ranked.</summary>
public sealed class IterationCompletedEvent : BeamEvent
{
    /// <summary>Initializes a new instance of the <see cref="IterationCompletedEvent"/> class.</summary>
    /// <param name="iteration">The iteration.</param>
    /// <param name="elapsed">The time since the search started.</param>
    /// <param name="survivors">The ranked survivors, best first.</param>
    /// <param name="bestSoFar">The best candidate of the iterations up to and including this one.</param>
    /// <param name="scored">How many of the iteration's candidates were scored.</param>
    /// <param name="failed">How many of the iteration's candidates failed.</param>
    public IterationCompletedEvent(int iteration, TimeSpan elapsed, IReadOnlyList<BeamCandidate> survivors, BeamCandidate? bestSoFar, int scored, int failed)
        : base(iteration, elapsed)
    {
        Survivors = survivors;
        BestSoFar = bestSoFar;
        Scored = scored;
        Failed = failed;
    }

    /// <summary>Gets the candidates kept as parents for the next iteration, best first (at most M).</summary>
    public IReadOnlyList<BeamCandidate> Survivors { get; }

    /// <summary>Gets the best candidate of the iterations up to and including this one, or <see langword="null"/> when
    /// none was scored. Children of the next iteration scored early (see
    /// <see cref="BeamSearchOptions.PromoteCertainSurvivors"/>) do not count here; they count in the next ranking.</summary>
    public BeamCandidate? BestSoFar { get; }

    /// <summary>Gets how many of the iteration's own candidates were scored.</summary>
    public int Scored { get; }

    /// <summary>Gets how many of the iteration's own candidates failed.</summary>
    public int Failed { get; }

    /// <summary>Gets how many times a lane of this iteration produced prompts that repeated a candidate the search already
    /// had, and so asked again or gave up its slot instead of paying for the same image twice.</summary>
    public int DuplicatesAvoided { get; init; }
}
