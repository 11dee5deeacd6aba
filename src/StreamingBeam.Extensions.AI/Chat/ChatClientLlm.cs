using System.Globalization;
using Microsoft.Extensions.AI;

namespace StreamingBeam.Extensions.AI;

/// <summary>An <see cref="ILlmClient"/> over any Microsoft.Extensions.AI <see cref="IChatClient"/>: OpenAI, Azure OpenAI,
/// Ollama, vLLM, or anything else that has one.</summary>
/// <remarks>
/// <para>
/// Each operation sends the system prompt and one user message rendered from its template in
/// <see cref="ChatClientLlmOptions"/>, asks for JSON output, and reads the answer tolerantly: a JSON object with the
/// expected field (<c>prompt</c>, or <c>critique</c> for critiques), the same in a code fence or surrounded by prose, a
/// JSON object with a single string field, or plain text. A reply with no usable text throws
/// <see cref="ProviderResponseException"/>, which keeps it in <see cref="ProviderOutputException.RawReply"/> and carries
/// its usage.
/// </para>
/// <para>
/// Whatever the chat client throws, except the cancellation of the caller's token, is wrapped in a
/// <see cref="ProviderException"/> that names the operation, the model and the HTTP status where known, and says
/// whether trying again can succeed; an HTTP 429 becomes a <see cref="ProviderRateLimitedException"/> with the wait the
/// service asked for. The client's exception is the inner exception.
/// </para>
/// <para>
/// Usage comes from <see cref="ChatResponse.Usage"/> (or, when streaming, from every update, including a final update
/// with no text), priced with the options' per-token costs. The cancellation token is passed to the chat client.
/// The adapter holds no per-call state and is safe to call concurrently if the chat client is.
/// </para>
/// </remarks>
public sealed class ChatClientLlm : ILlmClient
{
    private readonly IChatClient _chatClient;
    private readonly ChatClientLlmOptions _options;
    private readonly string? _defaultModelId;

    /// <summary>Initializes a new instance of the <see cref="ChatClientLlm"/> class.</summary>
    /// <param name="chatClient">The chat client to call.</param>
    /// <param name="options">The templates, chat options and prices, or <see langword="null"/> for the defaults.
    /// They are copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="chatClient"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> are not valid; the message lists every problem.</exception>
    public ChatClientLlm(IChatClient chatClient, ChatClientLlmOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        _chatClient = chatClient;
        _options = (options ?? new ChatClientLlmOptions()).CloneValidated();
        _defaultModelId = chatClient.GetService<ChatClientMetadata>()?.DefaultModelId;
    }

    /// <inheritdoc/>
    public Task<LlmResponse> ExpandAsync(ExpandRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var prompt = PromptTemplate.Render(_options.ExpandTemplate, name => name switch
        {
            "UserPrompt" => request.UserPrompt,
            "VariantIndex" => request.VariantIndex.ToString(CultureInfo.InvariantCulture),
            "VariantNumber" => (request.VariantIndex + 1).ToString(CultureInfo.InvariantCulture),
            _ => DimensionValue(name, request.Dimension),
        });
        var operation = $"{nameof(ChatClientLlm)}.{nameof(ExpandAsync)} ({DimensionName(request.Dimension)}, variant {request.VariantIndex})";
        return CompleteAsync(operation, prompt, "prompt", request.Temperature, request.VariantIndex, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<LlmResponse> CombineAsync(CombineRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var prompt = PromptTemplate.Render(_options.CombineTemplate, name => name switch
        {
            "UserPrompt" => request.UserPrompt,
            "What" => request.What,
            "How" => request.How,
            _ => null,
        });
        return CompleteAsync($"{nameof(ChatClientLlm)}.{nameof(CombineAsync)}", prompt, "prompt", temperature: null, variantIndex: null, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<LlmResponse> CritiqueAsync(CritiqueRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var prompt = PromptTemplate.Render(_options.CritiqueTemplate, name => name switch
        {
            "UserPrompt" => request.UserPrompt,
            "What" => request.What,
            "How" => request.How,
            "Current" => request.Dimension == PromptDimension.What ? request.What : request.How,
            "CombinedPrompt" => request.CombinedPrompt,
            "Alignment" => request.Alignment.ToString("0.00", CultureInfo.InvariantCulture),
            "AlignmentAnalysis" => string.IsNullOrWhiteSpace(request.AlignmentAnalysis) ? "(none)" : request.AlignmentAnalysis,
            "Aesthetic" => request.Aesthetic.ToString("0.00", CultureInfo.InvariantCulture),
            "AestheticAnalysis" => string.IsNullOrWhiteSpace(request.AestheticAnalysis) ? "(none)" : request.AestheticAnalysis,
            _ => DimensionValue(name, request.Dimension),
        });
        var operation = $"{nameof(ChatClientLlm)}.{nameof(CritiqueAsync)} ({DimensionName(request.Dimension)})";
        return CompleteAsync(operation, prompt, "critique", temperature: null, variantIndex: null, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<LlmResponse> RefineAsync(RefineRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var prompt = PromptTemplate.Render(_options.RefineTemplate, name => name switch
        {
            "UserPrompt" => request.UserPrompt,
            "What" => request.What,
            "How" => request.How,
            "Current" => request.Current,
            "Critique" => request.Critique,
            "VariantIndex" => request.VariantIndex.ToString(CultureInfo.InvariantCulture),
            "VariantNumber" => (request.VariantIndex + 1).ToString(CultureInfo.InvariantCulture),
            _ => DimensionValue(name, request.Dimension),
        });
        var operation = $"{nameof(ChatClientLlm)}.{nameof(RefineAsync)} ({DimensionName(request.Dimension)}, variant {request.VariantIndex})";
        return CompleteAsync(operation, prompt, "prompt", request.Temperature, request.VariantIndex, cancellationToken);
    }

    private async Task<LlmResponse> CompleteAsync(
        string operation,
        string userMessage,
        string jsonKey,
        double? temperature,
        int? variantIndex,
        CancellationToken cancellationToken)
    {
        var messages = new List<ChatMessage>(2);
        if (!string.IsNullOrEmpty(_options.SystemPrompt))
        {
            messages.Add(new ChatMessage(ChatRole.System, _options.SystemPrompt));
        }

        messages.Add(new ChatMessage(ChatRole.User, userMessage));

        var chatOptions = _options.ChatOptions?.Clone() ?? new ChatOptions();
        if (temperature is { } t)
        {
            chatOptions.Temperature = (float)t;
        }

        if (variantIndex is { } index && chatOptions.Seed is { } seed)
        {
            chatOptions.Seed = unchecked(seed + index);
        }

        if (_options.UseJsonResponseFormat)
        {
            chatOptions.ResponseFormat ??= ChatResponseFormat.Json;
        }

        var call = new AdapterCall(operation, chatOptions.ModelId ?? _defaultModelId, _options.CostPerInputToken, _options.CostPerOutputToken);
        var reply = await ChatCall.GetReplyAsync(_chatClient, messages, chatOptions, _options.UseStreaming, call, cancellationToken)
            .ConfigureAwait(false);
        var usage = call.Usage(reply.Usage);
        var text = ReplyParser.ReadText(reply.Text, jsonKey, out var failure)
            ?? throw new ProviderResponseException(operation, ReplyFailure.Reason($"could not read the {jsonKey} from the reply: {failure}", reply), reply.Text)
            {
                Model = reply.ModelId ?? call.Model,
                Usage = usage, // the unusable reply was paid for
            };
        return new LlmResponse(text, usage);
    }

    private string? DimensionValue(string name, PromptDimension dimension) => name switch
    {
        "Dimension" => DimensionName(dimension),
        "DimensionDescription" => dimension == PromptDimension.What ? _options.WhatDescription : _options.HowDescription,
        _ => null,
    };

    private static string DimensionName(PromptDimension dimension) => dimension == PromptDimension.What ? "WHAT" : "HOW";
}
