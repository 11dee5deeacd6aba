using System.Text.Json.Serialization;

namespace StreamingBeam.Beam.Internal;

/// <summary>A language-model call's answer: an expansion, a combined prompt, a critique or a refinement.</summary>
internal sealed class TextStepRecord : StepRecord
{
    [JsonIgnore]
    public override string Kind => "text";

    /// <summary>Gets the response as received; <see langword="null"/> when the provider returned none.</summary>
    public LlmResponse? Response { get; init; }

    [JsonIgnore]
    public override object? Answer => Response;

    protected override StepRecord WithUsage(ProviderUsage usage) => new TextStepRecord
    {
        Iteration = Iteration,
        Stage = Stage,
        Subject = Subject,
        Dimension = Dimension,
        Response = Response,
        Usage = usage,
    };
}
