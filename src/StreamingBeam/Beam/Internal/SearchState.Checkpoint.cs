namespace StreamingBeam.Beam.Internal;

/// <summary>The mapping between a search's state and its persistence (the <see cref="RankingRecord"/> it appends at each
/// ranking, the <see cref="BeamCheckpoint"/> a resume reads), kept beside the state so that a new piece of state and its
/// persistence change together.</summary>
internal sealed partial class SearchState
{
    /// <summary>The state right after the checkpoint's ranking.</summary>
    public static SearchState FromCheckpoint(BeamCheckpoint checkpoint)
    {
        var state = new SearchState
        {
            Parents = [.. checkpoint.Survivors],
            Best = checkpoint.Best,
            Completed = checkpoint.Iteration + 1,
            ImagesThrough = checkpoint.Images,
            UsageThrough = checkpoint.Usage,
            LastIterationCost = checkpoint.LastIterationCost,
            ScoredThrough = checkpoint.CandidatesScored,
            FailedThrough = checkpoint.CandidatesFailed,
        };
        state.BestTotals.AddRange(checkpoint.BestTotals);
        return state;
    }

    /// <summary>The record of the ranking of <paramref name="iteration"/>, which scored and failed as given: survivors and
    /// best by their data only (their images are in the records of the calls that rendered them).</summary>
    public RankingRecord ToRankingRecord(int iteration, int scored, int failed, TimeSpan elapsed, DateTimeOffset savedAt) => new()
    {
        Iteration = iteration,
        Survivors = Parents.Select(RankedCandidate.From).ToArray(),
        Best = RankedCandidate.From(Best!),
        BestTotals = BestTotals.ToArray(),
        Scored = scored,
        Failed = failed,
        Usage = UsageThrough,
        LastIterationCost = LastIterationCost,
        Images = ImagesThrough,
        CandidatesScored = ScoredThrough,
        CandidatesFailed = FailedThrough,
        Elapsed = elapsed,
        SavedAt = savedAt,
    };
}
