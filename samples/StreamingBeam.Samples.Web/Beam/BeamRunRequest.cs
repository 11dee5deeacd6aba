using System.Text.Json.Serialization;

namespace StreamingBeam.Samples.Web.Beam;

/// <summary>The body of <c>POST /api/beam/runs</c>. Only the prompt is required.</summary>
internal sealed class BeamRunRequest
{
    public const int MaxBeamWidth = 16;
    public const int MaxIterations = 5;

    [JsonPropertyName("prompt")]
    public string? Prompt { get; set; }

    [JsonPropertyName("beam_width")]
    public int BeamWidth { get; set; } = 6;

    [JsonPropertyName("keep_top")]
    public int KeepTop { get; set; } = 2;

    [JsonPropertyName("iterations")]
    public int Iterations { get; set; } = 3;

    [JsonPropertyName("seed")]
    public long? Seed { get; set; }

    /// <summary>Returns the problems with this request, one message each (empty when it is valid).</summary>
    public IEnumerable<string> Validate(int maxPromptLength)
    {
        if (string.IsNullOrWhiteSpace(Prompt))
        {
            yield return "prompt is required: describe the image to search for.";
        }
        else if (Prompt.Length > maxPromptLength)
        {
            yield return $"prompt is {Prompt.Length} characters long; the limit is {maxPromptLength}.";
        }

        if (BeamWidth is < 1 or > MaxBeamWidth)
        {
            yield return $"beam_width must be between 1 and {MaxBeamWidth}; got {BeamWidth}.";
        }

        if (KeepTop < 1 || KeepTop > BeamWidth)
        {
            yield return $"keep_top must be between 1 and beam_width ({BeamWidth}); got {KeepTop}.";
        }

        if (Iterations is < 1 or > MaxIterations)
        {
            yield return $"iterations must be between 1 and {MaxIterations}; got {Iterations}.";
        }
    }

    public BeamSearchOptions ToOptions() => new() { BeamWidth = BeamWidth, KeepTop = KeepTop, MaxIterations = Iterations };
}
