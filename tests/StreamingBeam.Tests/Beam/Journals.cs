using StreamingBeam.Beam.Internal;

namespace StreamingBeam.Tests.Beam;

/// <summary>Writes a <see cref="BeamCheckpoint"/> (even a broken one) as the journal a search would have saved: its
/// header, the image records of its survivors and best, and rankings up to its iteration.</summary>
internal static class Journals
{
    public static IReadOnlyList<ReadOnlyMemory<byte>> Of(BeamCheckpoint checkpoint)
    {
        var records = new List<JournalRecord>
        {
            new HeaderRecord { CheckpointId = checkpoint.CheckpointId, Prompt = checkpoint.Prompt, Options = checkpoint.Options, StartedAt = checkpoint.SavedAt },
        };
        var candidates = (checkpoint.Survivors ?? []).Append(checkpoint.Best).Where(c => c is { Image: not null } && !string.IsNullOrWhiteSpace(c.Id)).DistinctBy(c => c!.Id);
        records.AddRange(candidates.Select(c => StepRecord.Answered(new StepKey(c!.Iteration, BeamStage.Image, c.Id, null), c.Image)));

        // Rankings follow each other from 0; an impossible (negative) iteration is written as it is.
        IEnumerable<int> iterations = checkpoint.Iteration < -1 ? new[] { checkpoint.Iteration } : Enumerable.Range(0, checkpoint.Iteration + 1);
        foreach (var iteration in iterations)
        {
            records.Add(new RankingRecord
            {
                Iteration = iteration,
                Survivors = checkpoint.Survivors?.Select(c => c is null ? null! : RankedCandidate.From(c)).ToArray()!,
                Best = checkpoint.Best is null ? null! : RankedCandidate.From(checkpoint.Best),
                BestTotals = checkpoint.BestTotals,
                Scored = checkpoint.Scored,
                Failed = checkpoint.Failed,
                Usage = checkpoint.Usage,
                LastIterationCost = checkpoint.LastIterationCost,
                Images = checkpoint.Images,
                CandidatesScored = checkpoint.CandidatesScored,
                CandidatesFailed = checkpoint.CandidatesFailed,
                Elapsed = checkpoint.Elapsed,
                SavedAt = checkpoint.SavedAt,
            });
        }

        return records.Select(r => (ReadOnlyMemory<byte>)JournalCodec.Encode(r)).ToArray();
    }

    /// <summary>Saves <paramref name="checkpoint"/> in <paramref name="store"/> as its journal.</summary>
    public static async Task WriteAsync(IBeamCheckpointStore store, BeamCheckpoint checkpoint)
    {
        var records = Of(checkpoint);
        await store.CreateAsync(checkpoint.CheckpointId, records[0]);
        await store.AppendAsync(checkpoint.CheckpointId, records.Skip(1).ToArray());
    }
}
