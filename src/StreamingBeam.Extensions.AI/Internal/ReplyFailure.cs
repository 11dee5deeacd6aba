using Microsoft.Extensions.AI;

namespace StreamingBeam.Extensions.AI;

/// <summary>Why a chat reply could not be used, in the words of a <see cref="ProviderResponseException"/>.</summary>
internal static class ReplyFailure
{
    /// <summary>The parser's reason, preceded by the service's own when it withheld the reply under its content policy:
    /// then the empty or cut reply is the policy's doing, not the model's.</summary>
    public static string Reason(string parserReason, ChatReply reply) =>
        reply.FinishReason == ChatFinishReason.ContentFilter
            ? $"the service withheld the reply under its content policy (finish reason content_filter): {parserReason}"
            : parserReason;
}
