namespace StreamingBeam;

/// <summary>The state of a beam search right after one of its rankings: everything needed to continue it exactly as if
/// it had never stopped.</summary>
/// <remarks>
/// Work of the next iteration that had already started (see <see cref="BeamSearchOptions.PromoteCertainSurvivors"/>) is
/// not part of it: a resumed search redoes that iteration from its start, and <see cref="Usage"/> counts only the
/// iterations up to <see cref="Iteration"/>, so the resumed search's totals equal an uninterrupted one's.
/// </remarks>
public sealed class BeamCheckpoint
{
    /// <summary>The version of the checkpoint's shape that this library writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>Gets the version of the checkpoint's shape; stores refuse versions they do not know.</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>Gets the id the search saves under (<see cref="BeamSearchOptions.CheckpointId"/>).</summary>
    public required string CheckpointId { get; init; }

    /// <summary>Gets the user's prompt.</summary>
    public required string Prompt { get; init; }

    /// <summary>Gets the options the search runs with.</summary>
    public required BeamSearchOptions Options { get; init; }

    /// <summary>Gets the iteration whose ranking this checkpoint follows, from 0.</summary>
    public required int Iteration { get; init; }

    /// <summary>Gets the ranked survivors of that iteration, best first: the parents of the next one, with their prompts,
    /// scores, critiques and images.</summary>
    public required IReadOnlyList<BeamCandidate> Survivors { get; init; }

    /// <summary>Gets the best candidate scored so far.</summary>
    public required BeamCandidate Best { get; init; }

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

    /// <summary>Gets the search's elapsed time when the checkpoint was taken; a resumed search counts on from it.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Gets when the checkpoint was taken, from the engine's <see cref="TimeProvider"/>.</summary>
    public required DateTimeOffset SavedAt { get; init; }
}
