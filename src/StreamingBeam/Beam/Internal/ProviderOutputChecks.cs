using System.Globalization;

namespace StreamingBeam.Beam.Internal;

/// <summary>Turns unusable provider output into a <see cref="ProviderOutputException"/> that says which provider returned
/// what, so it fails its candidate instead of crashing the search or skewing the ranking.</summary>
internal static class ProviderOutputChecks
{
    /// <summary>The provider method a stage calls, as errors name it.</summary>
    public static string OperationOf(BeamStage stage) => stage switch
    {
        BeamStage.Expand => "ILlmClient.ExpandAsync",
        BeamStage.Combine => "ILlmClient.CombineAsync",
        BeamStage.Critique => "ILlmClient.CritiqueAsync",
        BeamStage.Refine => "ILlmClient.RefineAsync",
        BeamStage.Image => "IImageGenerator.GenerateAsync",
        BeamStage.Alignment => "IVisionScorer.ScoreAlignmentAsync",
        BeamStage.Aesthetic => "IVisionScorer.ScoreAestheticAsync",
        _ => stage.ToString(),
    };

    public static LlmResponse RequireText(LlmResponse? response, string what, PromptDimension? dimension, string id)
    {
        if (response is null || string.IsNullOrWhiteSpace(response.Text))
        {
            var returned = response is null ? "a null response" : response.Text is null ? "a null text" : "an empty text";
            var of = dimension is { } d ? $" {d.ToString().ToUpperInvariant()}" : string.Empty;
            throw new ProviderOutputException($"The language model returned {returned} for the{of} {what} of candidate {id}.");
        }

        return response;
    }

    public static void RequireImage(GeneratedImage? image, string id)
    {
        if (image is null)
        {
            throw new ProviderOutputException($"The image generator returned a null image for candidate {id}.");
        }

        if (!image.HasContent)
        {
            throw new ProviderOutputException($"The image generator returned an image with neither data nor a URI for candidate {id}.");
        }
    }

    public static void RequireScore(VisionScore? score, BeamStage stage, string id)
    {
        var kind = stage == BeamStage.Alignment ? "alignment" : "aesthetic";
        if (score is null)
        {
            throw new ProviderOutputException($"The vision scorer returned a null {kind} score for candidate {id}.");
        }

        if (!(score.Score >= 0 && score.Score <= 1))
        {
            throw new ProviderOutputException(string.Create(
                CultureInfo.InvariantCulture,
                $"The vision scorer returned an {kind} score of {score.Score} for candidate {id}; scores must be in [0, 1]."));
        }
    }
}
