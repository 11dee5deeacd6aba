using System.Globalization;

namespace StreamingBeam;

/// <summary>The one check every loaded <see cref="BeamCheckpoint"/> goes through before anything runs, whichever
/// store it came from (the journal reader folds the records, then calls it).</summary>
/// <remarks>
/// A checkpoint comes from outside the running search (a file, a database, another process), so it is input, not
/// state: a null survivor or id would make a lane throw before it can report (a hang), and an impossible iteration
/// or count would run a search that the options forbid. Every rule broken is listed, each naming its field.
/// </remarks>
internal static class BeamCheckpointValidator
{
    /// <summary>Throws when <paramref name="checkpoint"/> cannot be resumed.</summary>
    /// <param name="checkpoint">The loaded checkpoint.</param>
    /// <param name="origin">Where it came from, to start the message (for example <c>The checkpoint file '/x/a.json'</c>);
    /// <see langword="null"/> for <c>The checkpoint '{id}'</c>.</param>
    /// <exception cref="BeamCheckpointException">The checkpoint is null or breaks a rule; the message lists every
    /// broken rule, each naming the field (for example <c>Survivors[1].Id</c>).</exception>
    public static void Validate(BeamCheckpoint? checkpoint, string? origin = null)
    {
        if (checkpoint is null)
        {
            throw new BeamCheckpointException((origin ?? "The checkpoint") + " is null.");
        }

        var errors = GetErrors(checkpoint);
        if (errors.Count > 0)
        {
            origin ??= $"The checkpoint '{checkpoint.CheckpointId}'";
            throw new BeamCheckpointException($"{origin} cannot be resumed: " + string.Join(" ", errors));
        }
    }

    /// <summary>Returns every rule <paramref name="checkpoint"/> breaks, each naming its field; empty when it can be resumed.</summary>
    /// <param name="checkpoint">The checkpoint.</param>
    /// <returns>The broken rules.</returns>
    public static IReadOnlyList<string> GetErrors(BeamCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var errors = new List<string>();
        void Add(FormattableString message) => errors.Add(message.ToString(CultureInfo.InvariantCulture));

        if (checkpoint.FormatVersion != BeamCheckpoint.CurrentFormatVersion)
        {
            Add($"FormatVersion is {checkpoint.FormatVersion}; this version reads {BeamCheckpoint.CurrentFormatVersion} only.");
        }

        if (string.IsNullOrWhiteSpace(checkpoint.CheckpointId))
        {
            Add($"CheckpointId is null, empty or white space.");
        }

        if (string.IsNullOrWhiteSpace(checkpoint.Prompt))
        {
            Add($"Prompt is null, empty or white space.");
        }

        var options = checkpoint.Options;
        if (options is null)
        {
            Add($"Options is null.");
        }
        else
        {
            foreach (var error in options.GetValidationErrors())
            {
                errors.Add("Options: " + error);
            }
        }

        var iteration = checkpoint.Iteration;
        if (iteration < -1)
        {
            Add($"Iteration is {iteration}; it must be -1 (no ranking yet) or more.");
        }
        else if (options is not null && iteration >= options.MaxIterations)
        {
            Add($"Iteration is {iteration}; the options' MaxIterations of {options.MaxIterations} allow 0 to {options.MaxIterations - 1}.");
        }

        if (checkpoint.Survivors is not { } survivors)
        {
            Add($"Survivors is null.");
        }
        else
        {
            if (options is not null && survivors.Count > options.KeepTop)
            {
                Add($"Survivors has {survivors.Count} candidates; the options' KeepTop is {options.KeepTop}.");
            }

            if (iteration == -1 && survivors.Count > 0)
            {
                Add($"Survivors has {survivors.Count} candidates before the first ranking (Iteration is -1).");
            }

            for (var i = 0; i < survivors.Count; i++)
            {
                CheckCandidate(survivors[i], string.Create(CultureInfo.InvariantCulture, $"Survivors[{i}]"), iteration, errors);
            }
        }

        // Before the first ranking there is no best candidate; after it there always is one.
        if (iteration >= 0 || checkpoint.Best is not null)
        {
            CheckCandidate(checkpoint.Best, nameof(BeamCheckpoint.Best), iteration, errors);
        }

        if (checkpoint.BestTotals is not { } totals)
        {
            Add($"BestTotals is null.");
        }
        else
        {
            for (var i = 0; i < totals.Count; i++)
            {
                if (!double.IsFinite(totals[i]) || totals[i] is < 0 or > 1)
                {
                    Add($"BestTotals[{i}] is {totals[i]}; it must be between 0 and 1.");
                }
            }
        }

        CheckCount(nameof(BeamCheckpoint.Scored), checkpoint.Scored, errors);
        CheckCount(nameof(BeamCheckpoint.Failed), checkpoint.Failed, errors);
        CheckCount(nameof(BeamCheckpoint.Images), checkpoint.Images, errors);
        CheckCount(nameof(BeamCheckpoint.CandidatesScored), checkpoint.CandidatesScored, errors);
        CheckCount(nameof(BeamCheckpoint.CandidatesFailed), checkpoint.CandidatesFailed, errors);
        CheckCount(nameof(BeamCheckpoint.RecordedCalls), checkpoint.RecordedCalls, errors);
        CheckCount(nameof(BeamCheckpoint.RecordedImages), checkpoint.RecordedImages, errors);

        if (UsageCheck.FindProblem(checkpoint.Usage, perCall: false) is { } usage)
        {
            errors.Add("Usage." + usage + ".");
        }

        if (checkpoint.LastIterationCost < 0)
        {
            Add($"LastIterationCost is {checkpoint.LastIterationCost}; it must not be negative.");
        }

        if (checkpoint.Elapsed < TimeSpan.Zero)
        {
            Add($"Elapsed is {checkpoint.Elapsed}; it must not be negative.");
        }

        return errors;
    }

    private static void CheckCount(string field, int value, List<string> errors)
    {
        if (value < 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{field} is {value}; it must not be negative."));
        }
    }

    private static void CheckCandidate(BeamCandidate? candidate, string field, int checkpointIteration, List<string> errors)
    {
        void Add(FormattableString message) => errors.Add(message.ToString(CultureInfo.InvariantCulture));

        if (candidate is null)
        {
            Add($"{field} is null.");
            return;
        }

        // Texts are named, never quoted: they are prompts, which stay out of messages.
        if (string.IsNullOrWhiteSpace(candidate.Id))
        {
            Add($"{field}.Id is null, empty or white space.");
        }

        if (string.IsNullOrWhiteSpace(candidate.What))
        {
            Add($"{field}.What is null, empty or white space.");
        }

        if (string.IsNullOrWhiteSpace(candidate.How))
        {
            Add($"{field}.How is null, empty or white space.");
        }

        if (string.IsNullOrWhiteSpace(candidate.CombinedPrompt))
        {
            Add($"{field}.CombinedPrompt is null, empty or white space.");
        }

        if (candidate.Image is null)
        {
            Add($"{field}.Image is null.");
        }

        if (candidate.Iteration < 0 || (checkpointIteration >= 0 && candidate.Iteration > checkpointIteration))
        {
            Add($"{field}.Iteration is {candidate.Iteration}; it must be between 0 and the checkpoint's Iteration.");
        }

        if (candidate.VariantIndex < 0)
        {
            Add($"{field}.VariantIndex is {candidate.VariantIndex}; it must not be negative.");
        }

        CheckScore($"{field}.Alignment", candidate.Alignment, errors);
        CheckScore($"{field}.Aesthetic", candidate.Aesthetic, errors);
        CheckScore($"{field}.Total", candidate.Total, errors);

        if (UsageCheck.FindProblem(candidate.Usage, perCall: false) is { } usage)
        {
            errors.Add($"{field}.Usage.{usage}.");
        }
    }

    private static void CheckScore(string field, double value, List<string> errors)
    {
        if (!double.IsFinite(value) || value is < 0 or > 1)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{field} is {value}; it must be between 0 and 1."));
        }
    }
}
