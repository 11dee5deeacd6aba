using System.Text;
using Microsoft.Extensions.AI;

namespace StreamingBeam.Extensions.AI;

/// <summary>The text and usage of one chat call, whichever way it was made.</summary>
internal readonly record struct ChatReply(string Text, UsageDetails? Usage);

/// <summary>Makes one chat call, buffered or streamed, and collects its text and usage.</summary>
internal static class ChatCall
{
    public static async Task<ChatReply> GetReplyAsync(
        IChatClient chatClient,
        IList<ChatMessage> messages,
        ChatOptions options,
        bool streaming,
        CancellationToken cancellationToken)
    {
        if (!streaming)
        {
            var response = await chatClient.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            if (response is null)
            {
                return new ChatReply(string.Empty, null);
            }

            // Clients normally lift usage into ChatResponse.Usage; one that left it as content in the messages is
            // read from there instead, never both, so nothing is counted twice.
            var usage = response.Usage;
            if (usage is null)
            {
                foreach (var message in response.Messages)
                {
                    AccumulateUsageContents(message.Contents, ref usage);
                }
            }

            return new ChatReply(response.Text ?? string.Empty, usage);
        }

        var text = new StringBuilder();
        UsageDetails? streamedUsage = null;
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

            AccumulateUsageContents(update.Contents, ref streamedUsage);
        }

        return new ChatReply(text.ToString(), streamedUsage);
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
