using System.Text.Json.Serialization;

namespace StreamingBeam.Beam.Internal;

/// <summary>A provider call that failed after its retries: the candidate (or a critique's children) failed with it.</summary>
internal sealed class FailedStepRecord : StepRecord
{
    [JsonIgnore]
    public override string Kind => "failure";

    public required RecordedError Error { get; init; }

    [JsonIgnore]
    public override object? Answer => null;

    protected override StepRecord WithUsage(ProviderUsage usage) => new FailedStepRecord
    {
        Iteration = Iteration,
        Stage = Stage,
        Subject = Subject,
        Dimension = Dimension,
        Error = Error,
        Usage = usage,
    };
}
