using System.Globalization;

namespace StreamingBeam.Beam.Internal;

/// <summary>Reads a checkpoint journal as a store loaded it: checks it record by record, and folds it into the
/// <see cref="BeamCheckpoint"/> of its last ranking and the <see cref="ResumePlan"/> of the calls recorded after it.</summary>
/// <remarks>
/// A journal comes from outside the running search, so it is input: every record must be one this version reads, the
/// header first and only there, each step's stage must fit its kind, rankings must follow each other, and survivors'
/// images must be recorded. The folded checkpoint then goes through <see cref="BeamCheckpointValidator"/>, like any
/// checkpoint. A problem is a <see cref="BeamCheckpointException"/> naming the record.
/// </remarks>
internal static class JournalReader
{
    public static ResumePoint Read(string checkpointId, IReadOnlyList<ReadOnlyMemory<byte>> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            throw new BeamCheckpointException($"The checkpoint '{checkpointId}' holds no records; its header is missing.");
        }

        var header = ReadHeader(checkpointId, records[0]);
        var images = new Dictionary<StepKey, GeneratedImage?>();
        var steps = new List<StepRecord>();
        RankingRecord? last = null;
        for (var index = 1; index < records.Count; index++)
        {
            switch (JournalCodec.Decode(records[index], index, checkpointId))
            {
                case StepRecord step:
                    Check(step, index, header.Options, checkpointId);
                    steps.Add(step);
                    if (step is ImageStepRecord image)
                    {
                        images[step.Key] = image.Image;
                    }

                    break;
                case RankingRecord ranking:
                    var expected = (last?.Iteration ?? -1) + 1;
                    if (ranking.Iteration != expected)
                    {
                        throw Problem(checkpointId, index, $"ranks iteration {ranking.Iteration}, but the ranking expected next is of iteration {expected}");
                    }

                    last = ranking;
                    break;
                case var other:
                    throw Problem(checkpointId, index, $"is a second {other.Kind}; a journal has one, first");
            }
        }

        var ranked = last?.Iteration ?? -1;
        var pending = steps.Where(s => s.Iteration > ranked).ToArray();
        var checkpoint = Fold(header, last, images, pending);
        BeamCheckpointValidator.Validate(checkpoint);
        return new ResumePoint(checkpoint, new ResumePlan(pending));
    }

    private static HeaderRecord ReadHeader(string checkpointId, ReadOnlyMemory<byte> first)
    {
        var (version, shown) = JournalCodec.ReadFormatVersion(first);
        if (version != BeamCheckpoint.CurrentFormatVersion)
        {
            throw new BeamCheckpointException(string.Create(
                CultureInfo.InvariantCulture,
                $"The checkpoint '{checkpointId}' has format version {shown}; this version of StreamingBeam reads version {BeamCheckpoint.CurrentFormatVersion} only."));
        }

        if (JournalCodec.Decode(first, 0, checkpointId) is not HeaderRecord header)
        {
            throw Problem(checkpointId, 0, "is not a header; a journal starts with its header");
        }

        if (header.CheckpointId != checkpointId)
        {
            throw new BeamCheckpointException(
                $"The journal loaded for the checkpoint '{checkpointId}' is the journal of '{header.CheckpointId}'.");
        }

        return header;
    }

    /// <summary>A step must name its call fully, with the kind of answer its stage gives.</summary>
    private static void Check(StepRecord step, int index, BeamSearchOptions? options, string checkpointId)
    {
        if (string.IsNullOrWhiteSpace(step.Subject))
        {
            throw Problem(checkpointId, index, "names no candidate (Subject is null, empty or white space)");
        }

        if (step.Iteration < 0 || (options is not null && step.Iteration >= options.MaxIterations))
        {
            throw Problem(checkpointId, index, string.Create(CultureInfo.InvariantCulture, $"is for iteration {step.Iteration}, which the options do not allow"));
        }

        var fits = step switch
        {
            TextStepRecord => step.Stage is BeamStage.Expand or BeamStage.Combine or BeamStage.Critique or BeamStage.Refine,
            ImageStepRecord => step.Stage is BeamStage.Image,
            ScoreStepRecord => step.Stage is BeamStage.Alignment or BeamStage.Aesthetic,
            _ => Enum.IsDefined(step.Stage),
        };
        if (!fits || (step.Dimension is not null) != (step.Stage == BeamStage.Expand) || (step.Dimension is { } d && !Enum.IsDefined(d)))
        {
            throw Problem(checkpointId, index, $"is a {step.Kind} record for stage {step.Stage} and dimension {step.Dimension?.ToString() ?? "none"}, which do not go together");
        }

        if (step is FailedStepRecord { Error: null } or FailedStepRecord { Error.Message: null } or FailedStepRecord { Error.Type: null })
        {
            throw Problem(checkpointId, index, "is a failure without its error");
        }

        var usage = step switch
        {
            TextStepRecord { Response: { } text } => text.Usage,
            ImageStepRecord { Image: { } image } => image.Usage,
            ScoreStepRecord { Score: { } score } => score.Usage,
            FailedStepRecord { Error: { } error } => error.Usage,
            _ => default,
        };
        if ((UsageCheck.FindProblem(usage, perCall: true) ?? UsageCheck.FindProblem(step.Usage, perCall: false)) is { } problem)
        {
            throw Problem(checkpointId, index, "reports usage that no call can have: " + problem);
        }
    }

    private static BeamCheckpoint Fold(
        HeaderRecord header, RankingRecord? ranking, Dictionary<StepKey, GeneratedImage?> images, StepRecord[] pending)
    {
        // A survivor whose image is not recorded reads with a null image, which the validator reports with the rest.
        BeamCandidate? Resolve(RankedCandidate? candidate) =>
            candidate?.ToCandidate(candidate.Id is null ? null : images.GetValueOrDefault(candidate.ImageKey));

        var survivors = ranking?.Survivors is { } ranked
            ? ranked.Select(c => Resolve(c)!).ToArray()
            : ranking is null ? [] : null!;
        return new BeamCheckpoint
        {
            FormatVersion = header.FormatVersion,
            CheckpointId = header.CheckpointId,
            Prompt = header.Prompt,
            Options = header.Options,
            Iteration = ranking?.Iteration ?? -1,
            Survivors = survivors,
            Best = Resolve(ranking?.Best),
            BestTotals = ranking?.BestTotals ?? [],
            Scored = ranking?.Scored ?? 0,
            Failed = ranking?.Failed ?? 0,
            Usage = ranking?.Usage ?? default,
            LastIterationCost = ranking?.LastIterationCost ?? 0,
            Images = ranking?.Images ?? 0,
            CandidatesScored = ranking?.CandidatesScored ?? 0,
            CandidatesFailed = ranking?.CandidatesFailed ?? 0,
            Elapsed = ranking?.Elapsed ?? TimeSpan.Zero,
            SavedAt = ranking?.SavedAt ?? header.StartedAt,
            RecordedCalls = pending.Length,
            RecordedImages = pending.Count(s => s is ImageStepRecord { Image: not null }),
        };
    }

    private static BeamCheckpointException Problem(string checkpointId, int index, string problem) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Record {index} of the checkpoint '{checkpointId}' {problem}."));
}
