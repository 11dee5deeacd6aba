using System.Text.Json.Serialization;

namespace StreamingBeam.Beam.Internal;

/// <summary>A vision scorer's answer: an alignment or an aesthetic score with its analysis.</summary>
internal sealed class ScoreStepRecord : StepRecord
{
    [JsonIgnore]
    public override string Kind => "score";

    /// <summary>Gets the score as received (possibly out of range); <see langword="null"/> when the provider returned none.</summary>
    public VisionScore? Score { get; init; }

    [JsonIgnore]
    public override object? Answer => Score;

    protected override StepRecord WithUsage(ProviderUsage usage) => new ScoreStepRecord
    {
        Iteration = Iteration,
        Stage = Stage,
        Subject = Subject,
        Dimension = Dimension,
        Score = Score,
        Usage = usage,
    };
}
