using Microsoft.Extensions.AI;

namespace StreamingBeam.Extensions.AI;

/// <summary>Options for <see cref="ChatClientLlm"/>: the prompt templates, how the chat call is made, and prices.</summary>
/// <remarks>
/// <para>
/// Templates are plain text with <c>{{Name}}</c> placeholders, listed on each template property. Double braces keep
/// JSON examples such as <c>{"prompt": "..."}</c> literal. Values are inserted verbatim in one pass, so a user's
/// prompt that contains braces is never expanded. A template that uses an unknown placeholder, or lacks a required
/// one, is rejected when the adapter is created.
/// </para>
/// <para>
/// The adapter copies the options when it is created; changing them afterwards does not affect it.
/// </para>
/// </remarks>
public sealed class ChatClientLlmOptions
{
    /// <summary>The default <see cref="SystemPrompt"/>.</summary>
    public static string DefaultSystemPrompt { get; } =
        "You are an expert prompt engineer for text-to-image models. You write concrete, vivid, visual language that " +
        "an image model can render, you stay faithful to what the user asked for, and you follow the requested output " +
        "format exactly, with no commentary.";

    /// <summary>The default <see cref="WhatDescription"/>.</summary>
    public static string DefaultWhatDescription { get; } =
        "the content of the picture: the subjects, their attributes and counts, what they are doing, where they are, " +
        "and how they relate to each other. It says nothing about artistic style, medium, lighting, color palette or camera.";

    /// <summary>The default <see cref="HowDescription"/>.</summary>
    public static string DefaultHowDescription { get; } =
        "the style of the picture: medium, artistic style or movement, lighting, color palette, composition, camera or " +
        "lens, level of detail, and mood. It says nothing about which subjects or objects appear.";

    /// <summary>The default <see cref="ExpandTemplate"/>.</summary>
    public static string DefaultExpandTemplate { get; } =
        """
        The user wants an image of:
        <request>
        {{UserPrompt}}
        </request>

        Write the {{Dimension}} half of a text-to-image prompt for this request. The {{Dimension}} half describes {{DimensionDescription}}

        This is variant {{VariantNumber}} of several written for the same request. Choose a distinct, specific interpretation that another variant would be unlikely to choose, while keeping everything the user asked for.
        Use one to three sentences, under 60 words, of concrete visual language. No lists, no quotation marks, no explanations.

        Reply with JSON only, in this shape: {"prompt": "<the {{Dimension}} prompt>"}
        """;

    /// <summary>The default <see cref="CombineTemplate"/>.</summary>
    public static string DefaultCombineTemplate { get; } =
        """
        Merge a content description and a style description into one prompt for a text-to-image model.

        The user's request:
        <request>
        {{UserPrompt}}
        </request>

        Content (WHAT):
        <what>
        {{What}}
        </what>

        Style (HOW):
        <how>
        {{How}}
        </how>

        Keep every concrete detail of both. Where they contradict each other, follow the user's request. Put the main subject first, then the setting, then the style.
        Write one fluent prompt of under 120 words: no lists, no headings, no commentary.

        Reply with JSON only, in this shape: {"prompt": "<the image prompt>"}
        """;

    /// <summary>The default <see cref="CritiqueTemplate"/>.</summary>
    public static string DefaultCritiqueTemplate { get; } =
        """
        A text-to-image candidate was rendered and judged. Critique its {{Dimension}} prompt so that a rewrite of it scores higher.

        The user's request:
        <request>
        {{UserPrompt}}
        </request>

        WHAT (content) prompt:
        <what>
        {{What}}
        </what>

        HOW (style) prompt:
        <how>
        {{How}}
        </how>

        Prompt the image was rendered from:
        <combined>
        {{CombinedPrompt}}
        </combined>

        Alignment with the request: {{Alignment}} on a scale from 0 to 1. The judge said: {{AlignmentAnalysis}}
        Aesthetic quality: {{Aesthetic}} on a scale from 0 to 1. The judge said: {{AestheticAnalysis}}

        Critique only the {{Dimension}} prompt, which describes {{DimensionDescription}}
        Say what is missing, wrong, vague or working against the scores, then give two to four specific, actionable changes. Keep what already works. Do not write the new prompt yourself.

        Reply with JSON only, in this shape: {"critique": "<your critique>"}
        """;

    /// <summary>The default <see cref="RefineTemplate"/>.</summary>
    public static string DefaultRefineTemplate { get; } =
        """
        Rewrite the {{Dimension}} half of a text-to-image prompt, guided by a critique.

        The user's request:
        <request>
        {{UserPrompt}}
        </request>

        Current WHAT (content) prompt:
        <what>
        {{What}}
        </what>

        Current HOW (style) prompt:
        <how>
        {{How}}
        </how>

        Critique of the {{Dimension}} prompt:
        <critique>
        {{Critique}}
        </critique>

        Write a new {{Dimension}} prompt that applies the critique. It describes {{DimensionDescription}} The other half stays exactly as it is, so do not repeat it.
        This is variant {{VariantNumber}} of several rewrites of the same prompt: address the critique in your own way, differently from what another variant would do.
        Use one to three sentences, under 60 words, of concrete visual language. No lists, no quotation marks, no explanations.

        Reply with JSON only, in this shape: {"prompt": "<the new {{Dimension}} prompt>"}
        """;

    internal static readonly string[] ExpandPlaceholders = ["UserPrompt", "Dimension", "DimensionDescription", "VariantIndex", "VariantNumber"];
    internal static readonly string[] CombinePlaceholders = ["UserPrompt", "What", "How"];
    internal static readonly string[] CritiquePlaceholders =
        ["UserPrompt", "Dimension", "DimensionDescription", "What", "How", "Current", "CombinedPrompt", "Alignment", "AlignmentAnalysis", "Aesthetic", "AestheticAnalysis"];
    internal static readonly string[] RefinePlaceholders =
        ["UserPrompt", "Dimension", "DimensionDescription", "What", "How", "Current", "Critique", "VariantIndex", "VariantNumber"];

    /// <summary>Initializes a new instance of the <see cref="ChatClientLlmOptions"/> class with the default templates.</summary>
    public ChatClientLlmOptions()
    {
    }

    private ChatClientLlmOptions(ChatClientLlmOptions other)
    {
        SystemPrompt = other.SystemPrompt;
        WhatDescription = other.WhatDescription;
        HowDescription = other.HowDescription;
        ExpandTemplate = other.ExpandTemplate;
        CombineTemplate = other.CombineTemplate;
        CritiqueTemplate = other.CritiqueTemplate;
        RefineTemplate = other.RefineTemplate;
        ChatOptions = other.ChatOptions?.Clone();
        UseJsonResponseFormat = other.UseJsonResponseFormat;
        UseStreaming = other.UseStreaming;
        CostPerInputToken = other.CostPerInputToken;
        CostPerOutputToken = other.CostPerOutputToken;
    }

    /// <summary>Gets or sets the system message sent before every request, or <see langword="null"/> or empty to send none.</summary>
    /// <value>The default value is <see cref="DefaultSystemPrompt"/>.</value>
    public string? SystemPrompt { get; set; } = DefaultSystemPrompt;

    /// <summary>Gets or sets what the WHAT (content) half of a prompt describes; templates insert it as
    /// <c>{{DimensionDescription}}</c> when the request is about WHAT.</summary>
    /// <value>The default value is <see cref="DefaultWhatDescription"/>.</value>
    public string WhatDescription { get; set; } = DefaultWhatDescription;

    /// <summary>Gets or sets what the HOW (style) half of a prompt describes; templates insert it as
    /// <c>{{DimensionDescription}}</c> when the request is about HOW.</summary>
    /// <value>The default value is <see cref="DefaultHowDescription"/>.</value>
    public string HowDescription { get; set; } = DefaultHowDescription;

    /// <summary>Gets or sets the user message that asks for a first-generation WHAT or HOW prompt.</summary>
    /// <value>The default value is <see cref="DefaultExpandTemplate"/>.</value>
    /// <remarks>Placeholders: <c>{{UserPrompt}}</c> (required), <c>{{Dimension}}</c> (<c>WHAT</c> or <c>HOW</c>),
    /// <c>{{DimensionDescription}}</c>, <c>{{VariantIndex}}</c> (from 0) and <c>{{VariantNumber}}</c> (from 1).</remarks>
    public string ExpandTemplate { get; set; } = DefaultExpandTemplate;

    /// <summary>Gets or sets the user message that merges WHAT and HOW into one image prompt.</summary>
    /// <value>The default value is <see cref="DefaultCombineTemplate"/>.</value>
    /// <remarks>Placeholders: <c>{{What}}</c> and <c>{{How}}</c> (both required), <c>{{UserPrompt}}</c>.</remarks>
    public string CombineTemplate { get; set; } = DefaultCombineTemplate;

    /// <summary>Gets or sets the user message that critiques one dimension of a scored candidate.</summary>
    /// <value>The default value is <see cref="DefaultCritiqueTemplate"/>.</value>
    /// <remarks>Placeholders: <c>{{Dimension}}</c> (required), <c>{{DimensionDescription}}</c>, <c>{{UserPrompt}}</c>,
    /// <c>{{What}}</c>, <c>{{How}}</c>, <c>{{Current}}</c> (the critiqued dimension's prompt), <c>{{CombinedPrompt}}</c>,
    /// <c>{{Alignment}}</c> and <c>{{Aesthetic}}</c> (scores in [0, 1], two decimals), <c>{{AlignmentAnalysis}}</c> and
    /// <c>{{AestheticAnalysis}}</c> (<c>(none)</c> when the scorer gave none).</remarks>
    public string CritiqueTemplate { get; set; } = DefaultCritiqueTemplate;

    /// <summary>Gets or sets the user message that rewrites one dimension of a candidate from a critique.</summary>
    /// <value>The default value is <see cref="DefaultRefineTemplate"/>.</value>
    /// <remarks>Placeholders: <c>{{Critique}}</c> and <c>{{Dimension}}</c> (both required), <c>{{DimensionDescription}}</c>,
    /// <c>{{UserPrompt}}</c>, <c>{{What}}</c>, <c>{{How}}</c>, <c>{{Current}}</c> (the prompt being rewritten),
    /// <c>{{VariantIndex}}</c> (from 0) and <c>{{VariantNumber}}</c> (from 1).</remarks>
    public string RefineTemplate { get; set; } = DefaultRefineTemplate;

    /// <summary>Gets or sets the chat options every call starts from (model id, maximum output tokens, and so on), or
    /// <see langword="null"/> for the client's defaults.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    /// <remarks>
    /// Each call works on a copy. Expand and refine calls set <see cref="ChatOptions.Temperature"/> to the temperature the
    /// engine asks for, and, when <see cref="ChatOptions.Seed"/> is set here, use that seed plus the variant index so that
    /// variants differ reproducibly. Combine and critique calls use the temperature and seed set here as they are.
    /// </remarks>
    public ChatOptions? ChatOptions { get; set; }

    /// <summary>Gets or sets a value indicating whether calls ask for JSON output (<see cref="ChatResponseFormat.Json"/>)
    /// when <see cref="ChatOptions"/> does not set a response format of its own.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    /// <remarks>Turn it off for a service that rejects JSON mode. Replies are parsed tolerantly either way: a JSON object,
    /// a JSON object in a code fence or in prose, or plain text.</remarks>
    public bool UseJsonResponseFormat { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether calls use <see cref="IChatClient.GetStreamingResponseAsync"/>
    /// instead of <see cref="IChatClient.GetResponseAsync"/>.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    /// <remarks>Streamed text is joined and parsed once complete; usage is read from every update, including a final
    /// update that carries usage and no text.</remarks>
    public bool UseStreaming { get; set; }

    /// <summary>Gets or sets the price of one input token, in the caller's currency unit.</summary>
    /// <value>The default value is 0.</value>
    public decimal CostPerInputToken { get; set; }

    /// <summary>Gets or sets the price of one output token, in the caller's currency unit.</summary>
    /// <value>The default value is 0.</value>
    public decimal CostPerOutputToken { get; set; }

    internal ChatClientLlmOptions CloneValidated()
    {
        var errors = new List<string>();
        OptionsValidation.NotBlank($"{nameof(ChatClientLlmOptions)}.{nameof(WhatDescription)}", WhatDescription, errors);
        OptionsValidation.NotBlank($"{nameof(ChatClientLlmOptions)}.{nameof(HowDescription)}", HowDescription, errors);
        PromptTemplate.Validate($"{nameof(ChatClientLlmOptions)}.{nameof(ExpandTemplate)}", ExpandTemplate, ExpandPlaceholders, ["UserPrompt"], errors);
        PromptTemplate.Validate($"{nameof(ChatClientLlmOptions)}.{nameof(CombineTemplate)}", CombineTemplate, CombinePlaceholders, ["What", "How"], errors);
        PromptTemplate.Validate($"{nameof(ChatClientLlmOptions)}.{nameof(CritiqueTemplate)}", CritiqueTemplate, CritiquePlaceholders, ["Dimension"], errors);
        PromptTemplate.Validate($"{nameof(ChatClientLlmOptions)}.{nameof(RefineTemplate)}", RefineTemplate, RefinePlaceholders, ["Critique", "Dimension"], errors);
        OptionsValidation.NonNegative($"{nameof(ChatClientLlmOptions)}.{nameof(CostPerInputToken)}", CostPerInputToken, errors);
        OptionsValidation.NonNegative($"{nameof(ChatClientLlmOptions)}.{nameof(CostPerOutputToken)}", CostPerOutputToken, errors);
        OptionsValidation.ThrowIfAny(nameof(ChatClientLlmOptions), errors);
        return new ChatClientLlmOptions(this);
    }
}
