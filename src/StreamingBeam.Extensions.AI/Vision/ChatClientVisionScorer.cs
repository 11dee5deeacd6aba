using System.Globalization;
using Microsoft.Extensions.AI;

namespace StreamingBeam.Extensions.AI;

/// <summary>An <see cref="IVisionScorer"/> over any vision-capable Microsoft.Extensions.AI <see cref="IChatClient"/>.</summary>
/// <remarks>
/// <para>
/// Each score is one chat call: the system prompt, then one user message holding the text rendered from the template
/// in <see cref="ChatClientVisionScorerOptions"/> and the image, as <see cref="DataContent"/> (its bytes and media
/// type) or as <see cref="UriContent"/>. JSON output is asked for.
/// </para>
/// <para>
/// The reply is read tolerantly: a JSON object with a <c>score</c> (or <c>rating</c>, or a field whose name contains
/// <c>score</c>) and an <c>analysis</c> (or <c>reasoning</c>, <c>rationale</c>, <c>explanation</c>), alone, in a code
/// fence or surrounded by prose; or plain text such as <c>Score: 8/10</c>, <c>7 out of 10</c> or a bare number, whose
/// whole text becomes the analysis. The number is normalised to [0, 1] as
/// <see cref="ChatClientVisionScorerOptions"/> describes. A reply with no score, or with a score outside its scale,
/// throws <see cref="ProviderResponseException"/>, which keeps it in <see cref="ProviderOutputException.RawReply"/> and
/// carries its usage: a returned score is always in [0, 1].
/// </para>
/// <para>
/// Whatever the chat client throws, except the cancellation of the caller's token, is wrapped in a
/// <see cref="ProviderException"/> (a <see cref="ProviderRateLimitedException"/> for HTTP 429) that names the operation,
/// the model and the HTTP status where known, as <see cref="ChatClientLlm"/> describes.
/// </para>
/// <para>
/// Usage comes from <see cref="ChatResponse.Usage"/> (or, when streaming, from every update, including a final update
/// with no text), priced with the options' per-token costs. The cancellation token is passed to the chat client.
/// The adapter is safe to call concurrently if the chat client is.
/// </para>
/// </remarks>
public sealed class ChatClientVisionScorer : IVisionScorer
{
    private readonly IChatClient _chatClient;
    private readonly ChatClientVisionScorerOptions _options;
    private readonly string _scoreScaleText;
    private readonly string? _defaultModelId;

    /// <summary>Initializes a new instance of the <see cref="ChatClientVisionScorer"/> class.</summary>
    /// <param name="chatClient">The chat client to call; its model must accept images.</param>
    /// <param name="options">The templates, scale, chat options and prices, or <see langword="null"/> for the defaults.
    /// They are copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="chatClient"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> are not valid; the message lists every problem.</exception>
    public ChatClientVisionScorer(IChatClient chatClient, ChatClientVisionScorerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        _chatClient = chatClient;
        _options = (options ?? new ChatClientVisionScorerOptions()).CloneValidated();
        _scoreScaleText = _options.ScoreScale.ToString("G", CultureInfo.InvariantCulture);
        _defaultModelId = chatClient.GetService<ChatClientMetadata>()?.DefaultModelId;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="image"/> or <paramref name="prompt"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="image"/> has neither bytes nor a URI.</exception>
    /// <exception cref="ProviderResponseException">No score in range could be read from the reply.</exception>
    public Task<VisionScore> ScoreAlignmentAsync(GeneratedImage image, string prompt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var imageContent = ToContent(image);
        var text = PromptTemplate.Render(_options.AlignmentTemplate, name => name switch
        {
            "Prompt" => prompt,
            "ScoreScale" => _scoreScaleText,
            _ => null,
        });
        return ScoreAsync($"{nameof(ChatClientVisionScorer)}.{nameof(ScoreAlignmentAsync)}", text, imageContent, cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="image"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="image"/> has neither bytes nor a URI.</exception>
    /// <exception cref="ProviderResponseException">No score in range could be read from the reply.</exception>
    public Task<VisionScore> ScoreAestheticAsync(GeneratedImage image, CancellationToken cancellationToken = default)
    {
        var imageContent = ToContent(image);
        var text = PromptTemplate.Render(_options.AestheticTemplate, name => name == "ScoreScale" ? _scoreScaleText : null);
        return ScoreAsync($"{nameof(ChatClientVisionScorer)}.{nameof(ScoreAestheticAsync)}", text, imageContent, cancellationToken);
    }

    private async Task<VisionScore> ScoreAsync(string operation, string text, AIContent image, CancellationToken cancellationToken)
    {
        var messages = new List<ChatMessage>(2);
        if (!string.IsNullOrEmpty(_options.SystemPrompt))
        {
            messages.Add(new ChatMessage(ChatRole.System, _options.SystemPrompt));
        }

        messages.Add(new ChatMessage(ChatRole.User, [new TextContent(text), image]));

        var chatOptions = _options.ChatOptions?.Clone() ?? new ChatOptions();
        if (_options.UseJsonResponseFormat)
        {
            chatOptions.ResponseFormat ??= ChatResponseFormat.Json;
        }

        var call = new AdapterCall(operation, chatOptions.ModelId ?? _defaultModelId, _options.CostPerInputToken, _options.CostPerOutputToken);
        var reply = await ChatCall.GetReplyAsync(_chatClient, messages, chatOptions, _options.UseStreaming, call, cancellationToken)
            .ConfigureAwait(false);
        var usage = call.Usage(reply.Usage);
        if (!ReplyParser.TryReadScore(reply.Text, _options.ScoreScale, out var score, out var analysis, out var failure))
        {
            throw new ProviderResponseException(operation, ReplyFailure.Reason($"could not read a score from the reply: {failure}", reply), reply.Text)
            {
                Model = reply.ModelId ?? call.Model,
                Usage = usage, // the unusable reply was paid for
            };
        }

        return new VisionScore(score, analysis, usage);
    }

    private AIContent ToContent(GeneratedImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var mediaType = string.IsNullOrWhiteSpace(image.MediaType) ? "image/*" : image.MediaType;
        var hasData = !image.Data.IsEmpty;
        if (image.Uri is { } uri && (!hasData || _options.PreferImageUri))
        {
            return string.Equals(uri.Scheme, "data", StringComparison.OrdinalIgnoreCase)
                ? new DataContent(uri, string.IsNullOrWhiteSpace(image.MediaType) ? null : image.MediaType)
                : new UriContent(uri, mediaType);
        }

        if (!hasData)
        {
            throw new ArgumentException("The image has neither bytes nor a URI, so it cannot be sent to the scorer.", nameof(image));
        }

        return new DataContent(image.Data, mediaType);
    }
}
