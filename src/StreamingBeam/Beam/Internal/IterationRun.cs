using System.Diagnostics;

namespace StreamingBeam.Beam.Internal;

/// <summary>One iteration's lanes as the driver sees them.</summary>
/// <remarks>Owned by the driver (<see cref="BeamSearchRun"/>): lanes read only <see cref="Number"/> and <see cref="Span"/>,
/// which never change. What lanes add up while they run (usage, images) lives in the <see cref="RunLedger"/>.</remarks>
internal sealed class IterationRun(int number, Activity? span)
{
    public int Number { get; } = number;

    /// <summary>Gets the iteration's span, or <see langword="null"/> when nobody listens.</summary>
    public Activity? Span { get; } = span;

    /// <summary>Gets the scored candidates, in the order the driver took them.</summary>
    public List<BeamCandidate> Scored { get; } = [];

    /// <summary>Gets or sets how many lanes have reported.</summary>
    public int Finished { get; set; }

    /// <summary>Gets or sets how many lanes failed.</summary>
    public int Failed { get; set; }

    /// <summary>Gets or sets how many lanes gave up their slot to a duplicate.</summary>
    public int Skipped { get; set; }

    /// <summary>Gets or sets the outcomes that arrived while an earlier iteration was still being ranked.</summary>
    public Queue<LaneOutcome>? Early { get; set; }

    /// <summary>Gets or sets the best M of the ranking pool so far, kept in order once promotion needs it.</summary>
    public List<BeamCandidate>? Leaders { get; set; }

    /// <summary>Gets or sets the candidates of this iteration's pool promoted as certain survivors, with what was started
    /// for each.</summary>
    public Dictionary<BeamCandidate, PromotedParent>? Promoted { get; set; }

    /// <summary>Counts a lane's outcome: a scored candidate, a failure, or a skipped duplicate.</summary>
    public void Take(LaneOutcome outcome)
    {
        Finished++;
        if (outcome.Candidate is { } candidate)
        {
            Scored.Add(candidate);
        }
        else if (outcome.Skipped)
        {
            Skipped++;
        }
        else
        {
            Failed++;
        }
    }
}

/// <summary>What promotion started for a certain survivor: its critique and how many of its children.</summary>
internal readonly record struct PromotedParent(Task<LlmResponse> Critique, int ChildrenStarted);
