using Microsoft.Extensions.AI;

namespace StreamingBeam.Extensions.AI;

/// <summary>Options for <see cref="ChatClientVisionScorer"/>: the prompt templates, the score scale, how the image is
/// sent, how the chat call is made, and prices.</summary>
/// <remarks>
/// <para>
/// Templates are plain text with <c>{{Name}}</c> placeholders, listed on each template property; see
/// <see cref="ChatClientLlmOptions"/> for the rules. The adapter copies the options when it is created.
/// </para>
/// <para>
/// <b>Scale.</b> The templates ask the model for a score from 0 to <see cref="ScoreScale"/>, and the adapter divides
/// the number it reads by <see cref="ScoreScale"/>. The scale is stated, never guessed from the number: a 0.8 on a
/// 0-to-10 scale is 0.08, not 0.8. A reply that states its own scale is read on that scale instead: <c>8/10</c>,
/// <c>7 out of 10</c>, <c>85/100</c>, <c>85%</c>. A score outside the scale is a provider failure, never clamped.
/// </para>
/// </remarks>
public sealed class ChatClientVisionScorerOptions
{
    /// <summary>The default <see cref="SystemPrompt"/>.</summary>
    public static string DefaultSystemPrompt { get; } =
        "You are a meticulous, well-calibrated judge of AI-generated images. You look closely at the whole image before " +
        "judging, you use the full range of the scale, and you reply in the requested JSON format with no other text.";

    /// <summary>The default <see cref="AlignmentTemplate"/>.</summary>
    public static string DefaultAlignmentTemplate { get; } =
        """
        How faithfully does the attached image depict this prompt?
        <prompt>
        {{Prompt}}
        </prompt>

        Check every subject, attribute, count, action, spatial relation, setting and requested style in the prompt. Lower the score for each element that is missing or wrong, and for prominent elements the prompt did not ask for. Ignore artistic quality unless the prompt asks for it.
        Score from 0 (unrelated to the prompt) to {{ScoreScale}} (every element depicted exactly as asked).

        Reply with JSON only, in this shape: {"analysis": "<two or three sentences: what matches and what does not>", "score": <a number from 0 to {{ScoreScale}}>}
        """;

    /// <summary>The default <see cref="AestheticTemplate"/>.</summary>
    public static string DefaultAestheticTemplate { get; } =
        """
        Rate the aesthetic quality of the attached image, whatever it depicts.

        Consider composition and framing, lighting, color harmony, detail and sharpness, coherence (no distorted anatomy, melted objects, artifacts or garbled text) and overall visual appeal.
        Score from 0 (broken or very poor) to {{ScoreScale}} (outstanding, professional quality). Keep the top of the scale for exceptional images.

        Reply with JSON only, in this shape: {"analysis": "<two or three sentences: strengths and flaws>", "score": <a number from 0 to {{ScoreScale}}>}
        """;

    internal static readonly string[] AlignmentPlaceholders = ["Prompt", "ScoreScale"];
    internal static readonly string[] AestheticPlaceholders = ["ScoreScale"];

    /// <summary>Initializes a new instance of the <see cref="ChatClientVisionScorerOptions"/> class with the default templates.</summary>
    public ChatClientVisionScorerOptions()
    {
    }

    private ChatClientVisionScorerOptions(ChatClientVisionScorerOptions other)
    {
        SystemPrompt = other.SystemPrompt;
        AlignmentTemplate = other.AlignmentTemplate;
        AestheticTemplate = other.AestheticTemplate;
        ScoreScale = other.ScoreScale;
        PreferImageUri = other.PreferImageUri;
        ChatOptions = other.ChatOptions?.Clone();
        UseJsonResponseFormat = other.UseJsonResponseFormat;
        UseStreaming = other.UseStreaming;
        CostPerInputToken = other.CostPerInputToken;
        CostPerOutputToken = other.CostPerOutputToken;
    }

    /// <summary>Gets or sets the system message sent before every request, or <see langword="null"/> or empty to send none.</summary>
    /// <value>The default value is <see cref="DefaultSystemPrompt"/>.</value>
    public string? SystemPrompt { get; set; } = DefaultSystemPrompt;

    /// <summary>Gets or sets the text sent with the image to ask how well it matches a prompt.</summary>
    /// <value>The default value is <see cref="DefaultAlignmentTemplate"/>.</value>
    /// <remarks>Placeholders: <c>{{Prompt}}</c> (required; the prompt the image is judged against) and
    /// <c>{{ScoreScale}}</c> (the top of the scale, for example <c>10</c>).</remarks>
    public string AlignmentTemplate { get; set; } = DefaultAlignmentTemplate;

    /// <summary>Gets or sets the text sent with the image to ask how good it looks.</summary>
    /// <value>The default value is <see cref="DefaultAestheticTemplate"/>.</value>
    /// <remarks>Placeholder: <c>{{ScoreScale}}</c> (the top of the scale, for example <c>10</c>).</remarks>
    public string AestheticTemplate { get; set; } = DefaultAestheticTemplate;

    /// <summary>Gets or sets the top of the scale the templates ask the model to score on; scores read from replies are
    /// divided by it. Use 1, 10, 100 or any positive number, and keep it in step with your templates.</summary>
    /// <value>The default value is 10.</value>
    public double ScoreScale { get; set; } = 10;

    /// <summary>Gets or sets a value indicating whether an image that has both bytes and a URI is sent by URI
    /// (<see cref="UriContent"/>) rather than by its bytes (<see cref="DataContent"/>).</summary>
    /// <value>The default value is <see langword="false"/>: bytes are sent when known, because the service may not be able
    /// to reach the URI. An image with only a URI is always sent by URI, and a <c>data:</c> URI as bytes.</value>
    public bool PreferImageUri { get; set; }

    /// <summary>Gets or sets the chat options every call starts from (model id, temperature, maximum output tokens, and
    /// so on), or <see langword="null"/> for the client's defaults. Each call works on a copy.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public ChatOptions? ChatOptions { get; set; }

    /// <summary>Gets or sets a value indicating whether calls ask for JSON output (<see cref="ChatResponseFormat.Json"/>)
    /// when <see cref="ChatOptions"/> does not set a response format of its own.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseJsonResponseFormat { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether calls use <see cref="IChatClient.GetStreamingResponseAsync"/>
    /// instead of <see cref="IChatClient.GetResponseAsync"/>.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool UseStreaming { get; set; }

    /// <summary>Gets or sets the price of one input token (images count as the tokens the service reports), in the
    /// caller's currency unit.</summary>
    /// <value>The default value is 0.</value>
    public decimal CostPerInputToken { get; set; }

    /// <summary>Gets or sets the price of one output token, in the caller's currency unit.</summary>
    /// <value>The default value is 0.</value>
    public decimal CostPerOutputToken { get; set; }

    internal ChatClientVisionScorerOptions CloneValidated()
    {
        var errors = new List<string>();
        PromptTemplate.Validate($"{nameof(ChatClientVisionScorerOptions)}.{nameof(AlignmentTemplate)}", AlignmentTemplate, AlignmentPlaceholders, ["Prompt"], errors);
        PromptTemplate.Validate($"{nameof(ChatClientVisionScorerOptions)}.{nameof(AestheticTemplate)}", AestheticTemplate, AestheticPlaceholders, [], errors);
        if (!double.IsFinite(ScoreScale) || ScoreScale <= 0)
        {
            errors.Add($"{nameof(ChatClientVisionScorerOptions)}.{nameof(ScoreScale)} must be a finite number greater than 0; it was {ScoreScale.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }

        OptionsValidation.NonNegative($"{nameof(ChatClientVisionScorerOptions)}.{nameof(CostPerInputToken)}", CostPerInputToken, errors);
        OptionsValidation.NonNegative($"{nameof(ChatClientVisionScorerOptions)}.{nameof(CostPerOutputToken)}", CostPerOutputToken, errors);
        OptionsValidation.ThrowIfAny(nameof(ChatClientVisionScorerOptions), errors);
        return new ChatClientVisionScorerOptions(this);
    }
}
