using System.Globalization;

namespace StreamingBeam.Testing;

/// <summary>The keys under which the gated beam-search fakes enter their <see cref="CallGate"/>, and the texts they return.</summary>
/// <remarks>
/// The fakes answer deterministically, so a test can name every call of a search in advance: candidate <c>i</c> of the
/// first iteration expands to <c>W{i}</c> and <c>H{i}</c>, combines to <c>W{i}+H{i}</c>, and is rendered and scored
/// under that combined prompt. A refinement of text <c>x</c> becomes <c>x&gt;{iteration}.{child}</c>.
/// </remarks>
public static class BeamGateKeys
{
    /// <summary>Gets the key of an expansion call.</summary>
    /// <param name="dimension">The dimension expanded.</param>
    /// <param name="variantIndex">The candidate's index.</param>
    /// <returns>For example <c>expand:What:0</c>.</returns>
    public static string Expand(PromptDimension dimension, int variantIndex) =>
        string.Create(CultureInfo.InvariantCulture, $"expand:{dimension}:{variantIndex}");

    /// <summary>Gets the key of a combine call.</summary>
    /// <param name="what">The content prompt.</param>
    /// <param name="how">The style prompt.</param>
    /// <returns>For example <c>combine:W0|H0</c>.</returns>
    public static string Combine(string what, string how) => $"combine:{what}|{how}";

    /// <summary>Gets the key of a critique call.</summary>
    /// <param name="iteration">The iteration the critique is for.</param>
    /// <param name="what">The parent's content prompt.</param>
    /// <param name="how">The parent's style prompt.</param>
    /// <returns>For example <c>critique:1:W0|H0</c>.</returns>
    public static string Critique(int iteration, string what, string how) =>
        string.Create(CultureInfo.InvariantCulture, $"critique:{iteration}:{what}|{how}");

    /// <summary>Gets the key of a refine call.</summary>
    /// <param name="iteration">The iteration of the child.</param>
    /// <param name="what">The parent's content prompt.</param>
    /// <param name="how">The parent's style prompt.</param>
    /// <param name="child">The child's index among its parent's children.</param>
    /// <returns>For example <c>refine:1:W0|H0:2</c>.</returns>
    public static string Refine(int iteration, string what, string how, int child) =>
        string.Create(CultureInfo.InvariantCulture, $"refine:{iteration}:{what}|{how}:{child}");

    /// <summary>Gets the key of an image generation.</summary>
    /// <param name="prompt">The image prompt.</param>
    /// <returns>For example <c>image:W0+H0</c>.</returns>
    public static string Image(string prompt) => $"image:{prompt}";

    /// <summary>Gets the key of an alignment scoring call.</summary>
    /// <param name="imagePrompt">The prompt the image was rendered from.</param>
    /// <returns>For example <c>alignment:W0+H0</c>.</returns>
    public static string Alignment(string imagePrompt) => $"alignment:{imagePrompt}";

    /// <summary>Gets the key of an aesthetic scoring call.</summary>
    /// <param name="imagePrompt">The prompt the image was rendered from.</param>
    /// <returns>For example <c>aesthetic:W0+H0</c>.</returns>
    public static string Aesthetic(string imagePrompt) => $"aesthetic:{imagePrompt}";

    /// <summary>Gets the text an expansion returns.</summary>
    /// <param name="dimension">The dimension expanded.</param>
    /// <param name="variantIndex">The candidate's index.</param>
    /// <returns><c>W{i}</c> or <c>H{i}</c>.</returns>
    public static string ExpandedText(PromptDimension dimension, int variantIndex) =>
        string.Create(CultureInfo.InvariantCulture, $"{(dimension == PromptDimension.What ? 'W' : 'H')}{variantIndex}");

    /// <summary>Gets the text a combine call returns.</summary>
    /// <param name="what">The content prompt.</param>
    /// <param name="how">The style prompt.</param>
    /// <returns><c>{what}+{how}</c>.</returns>
    public static string CombinedText(string what, string how) => $"{what}+{how}";

    /// <summary>Gets the text a refine call returns.</summary>
    /// <param name="current">The text being refined.</param>
    /// <param name="iteration">The iteration of the child.</param>
    /// <param name="child">The child's index among its parent's children.</param>
    /// <returns><c>{current}&gt;{iteration}.{child}</c>.</returns>
    public static string RefinedText(string current, int iteration, int child) =>
        string.Create(CultureInfo.InvariantCulture, $"{current}>{iteration}.{child}");
}
