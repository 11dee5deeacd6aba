using System.Text;
using Microsoft.Extensions.AI;

namespace StreamingBeam.Extensions.AI;

/// <summary>The text, usage, model and finish reason of one chat call, whichever way it was made.</summary>
internal readonly record struct ChatReply(string Text, UsageDetails? Usage, string? ModelId, ChatFinishReason? FinishReason);

/// <summary>Makes one chat call, buffered or streamed, and collects its text and usage. Whatever the client throws,
/// except the caller's cancellation, leaves as a <see cref="ProviderException"/> that names the call (see
/// <see cref="ProviderErrors"/>), with the usage streamed before the failure.</summary>
internal static class ChatCall
{
    public static async Task<ChatReply> GetReplyAsync(
        IChatClient chatClient,
        IList<ChatMessage> messages,
        ChatOptions options,
        bool streaming,
        AdapterCall call,
        CancellationToken cancellationToken)
    {
        UsageDetails? usage = null;
        try
        {
            if (!streaming)
            {
                var response = await chatClient.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
                if (response is null)
                {
                    return new ChatReply(string.Empty, null, null, null);
                }

                // Clients normally lift usage into ChatResponse.Usage; one that left it as content in the messages is
                // read from there instead, never both, so nothing is counted twice.
                usage = response.Usage;
                if (usage is null)
                {
                    foreach (var message in response.Messages)
                    {
                        AccumulateUsageContents(message.Contents, ref usage);
                    }
                }

                return new ChatReply(response.Text ?? string.Empty, usage, response.ModelId, response.FinishReason);
            }

            var text = new StringBuilder();
            string? modelId = null;
            ChatFinishReason? finishReason = null;
            await foreach (var update in chatClient.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
            {
                // Usage typically arrives in a last update that has no text at all: it is read like any other.
                foreach (var content in update.Contents)
                {
                    if (content is TextContent textContent)
                    {
                        text.Append(textContent.Text);
                    }
                }

                AccumulateUsageContents(update.Contents, ref usage);
                modelId ??= update.ModelId;
                finishReason = update.FinishReason ?? finishReason;
            }

            return new ChatReply(text.ToString(), usage, modelId, finishReason);
        }
        catch (Exception exception) when (ProviderErrors.ShouldTranslate(exception, cancellationToken))
        {
            // A stream that broke after its usage arrived was still paid for.
            throw call.Failure(exception, usage);
        }
    }

    private static void AccumulateUsageContents(IList<AIContent> contents, ref UsageDetails? usage)
    {
        foreach (var content in contents)
        {
            if (content is UsageContent usageContent)
            {
                Usage.Accumulate(ref usage, usageContent.Details);
            }
        }
    }
}
