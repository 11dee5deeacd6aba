using System.Text.Json.Serialization;

namespace StreamingBeam.Beam.Internal;

/// <summary>A ranking and the search's state right after it: survivors and best (without their images, which are in the
/// records of the calls that rendered them), the convergence history, and the totals through the ranked iteration.</summary>
/// <remarks>Work of the next iteration that promotion started before this ranking is in the step records around it;
/// its usage is not in <see cref="Usage"/>, which counts the iterations up to <see cref="Iteration"/> only.</remarks>
internal sealed class RankingRecord : JournalRecord
{
    [JsonIgnore]
    public override string Kind => "ranking";

    public required int Iteration { get; init; }

    public required IReadOnlyList<RankedCandidate> Survivors { get; init; }

    public required RankedCandidate Best { get; init; }

    public required IReadOnlyList<double> BestTotals { get; init; }

    public required int Scored { get; init; }

    public required int Failed { get; init; }

    public required ProviderUsage Usage { get; init; }

    public required decimal LastIterationCost { get; init; }

    public required int Images { get; init; }

    public required int CandidatesScored { get; init; }

    public required int CandidatesFailed { get; init; }

    public required TimeSpan Elapsed { get; init; }

    public required DateTimeOffset SavedAt { get; init; }
}
