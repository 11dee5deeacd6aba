using System.Text.Json.Serialization;

namespace StreamingBeam.Beam.Internal;

/// <summary>A rendered image, stored once, in the record of the call that rendered it: rankings and resumes refer to it
/// by its candidate, never copy it.</summary>
internal sealed class ImageStepRecord : StepRecord
{
    [JsonIgnore]
    public override string Kind => "image";

    /// <summary>Gets the image as received; <see langword="null"/> when the provider returned none.</summary>
    public GeneratedImage? Image { get; init; }

    [JsonIgnore]
    public override object? Answer => Image;

    protected override StepRecord WithUsage(ProviderUsage usage) => new ImageStepRecord
    {
        Iteration = Iteration,
        Stage = Stage,
        Subject = Subject,
        Dimension = Dimension,
        Image = Image,
        Usage = usage,
    };
}
