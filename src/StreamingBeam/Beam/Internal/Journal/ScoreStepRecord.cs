namespace StreamingBeam.Beam.Internal;

/// <summary>A vision scorer's answer: an alignment or an aesthetic score with its analysis.</summary>
internal sealed class ScoreStepRecord : StepRecord
{
    public override string Kind => "score";

    /// <summary>Gets the score as received (possibly out of range); <see langword="null"/> when the provider returned none.</summary>
    public VisionScore? Score { get; init; }

    public override object? Answer => Score;
}
