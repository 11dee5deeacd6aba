namespace StreamingBeam.Beam.Internal;

/// <summary>The mapping between a search's state and its <see cref="BeamCheckpoint"/>, kept beside the state so that a
/// new piece of state and its persistence change together.</summary>
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

    /// <summary>The checkpoint of the ranking of <paramref name="iteration"/>, which scored and failed as given.</summary>
    public BeamCheckpoint ToCheckpoint(
        string id, string prompt, BeamSearchOptions options, int iteration, int scored, int failed, TimeSpan elapsed, DateTimeOffset savedAt) => new()
    {
        CheckpointId = id,
        Prompt = prompt,
        Options = options.Clone(), // the store (or a reader of it) must never reach the options the run reads
        Iteration = iteration,
        Survivors = Parents.ToArray(),
        Best = Best!,
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
