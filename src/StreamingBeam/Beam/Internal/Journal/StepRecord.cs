using System.Text.Json.Serialization;

namespace StreamingBeam.Beam.Internal;

/// <summary>The outcome of one provider call, recorded the moment the call returned: what it answered (text, image or
/// score, exactly as received, usable or not) or how it failed.</summary>
/// <remarks>A resumed search answers the same call from this record instead of calling the provider again, and the
/// lane then does with the answer exactly what it did the first time (including rejecting unusable output).</remarks>
internal abstract class StepRecord : JournalRecord
{
    /// <summary>Gets the iteration the call was for (for a critique, the iteration of the children it serves).</summary>
    public required int Iteration { get; init; }

    public required BeamStage Stage { get; init; }

    /// <summary>Gets the candidate's id, or for a critique the parent's.</summary>
    public required string Subject { get; init; }

    /// <summary>Gets the dimension of an expansion; <see langword="null"/> for every other stage.</summary>
    public PromptDimension? Dimension { get; init; }

    /// <summary>Gets what the call's attempts added to the search's usage (failed attempts a provider charged for
    /// included); a resumed search adds it again when it answers the call from the record.</summary>
    public ProviderUsage Usage { get; init; }

    [JsonIgnore]
    public StepKey Key => new(Iteration, Stage, Subject, Dimension);

    /// <summary>Gets what the call answered (an <see cref="LlmResponse"/>, <see cref="GeneratedImage"/> or
    /// <see cref="VisionScore"/>, possibly <see langword="null"/>); a failed step has none.</summary>
    [JsonIgnore]
    public abstract object? Answer { get; }

    /// <summary>The record of a call that returned <paramref name="answer"/>.</summary>
    public static StepRecord Answered<T>(StepKey key, T answer, ProviderUsage usage = default) => ((StepRecord)(answer switch
    {
        GeneratedImage image => (StepRecord)new ImageStepRecord { Iteration = key.Iteration, Stage = key.Stage, Subject = key.Subject, Dimension = key.Dimension, Image = image },
        VisionScore score => new ScoreStepRecord { Iteration = key.Iteration, Stage = key.Stage, Subject = key.Subject, Dimension = key.Dimension, Score = score },
        LlmResponse text => new TextStepRecord { Iteration = key.Iteration, Stage = key.Stage, Subject = key.Subject, Dimension = key.Dimension, Response = text },

        // A null answer (unusable output) is recorded as the kind of answer the stage gives.
        _ => key.Stage switch
        {
            BeamStage.Image => (StepRecord)new ImageStepRecord { Iteration = key.Iteration, Stage = key.Stage, Subject = key.Subject, Dimension = key.Dimension },
            BeamStage.Alignment or BeamStage.Aesthetic =>
                new ScoreStepRecord { Iteration = key.Iteration, Stage = key.Stage, Subject = key.Subject, Dimension = key.Dimension },
            _ => new TextStepRecord { Iteration = key.Iteration, Stage = key.Stage, Subject = key.Subject, Dimension = key.Dimension },
        },
    })).WithUsage(usage);

    /// <summary>The record of a call that failed with <paramref name="exception"/> (after its retries).</summary>
    public static StepRecord Failed(StepKey key, Exception exception, ProviderUsage usage = default) => new FailedStepRecord
    {
        Iteration = key.Iteration,
        Stage = key.Stage,
        Subject = key.Subject,
        Dimension = key.Dimension,
        Error = RecordedError.From(exception),
        Usage = usage,
    };

    /// <summary>A copy of the record that says what the call's attempts cost.</summary>
    protected abstract StepRecord WithUsage(ProviderUsage usage);
}
