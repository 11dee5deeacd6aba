using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;

namespace StreamingBeam.Extensions.AI.OpenAIClient.Tests.Fakes;

internal static class OpenAIClients
{
    /// <summary>The official client against <paramref name="server"/>, with its own retries off (as
    /// docs/extensions-ai.md tells users to do), so each adapter call is exactly one HTTP request.</summary>
    public static OpenAI.OpenAIClient For(FakeOpenAIServer server) => For(server, new ClientRetryPolicy(maxRetries: 0));

    /// <summary>The official client against <paramref name="server"/> with the given retry policy.</summary>
    public static OpenAI.OpenAIClient For(FakeOpenAIServer server, ClientRetryPolicy retryPolicy) =>
        new(new ApiKeyCredential("test-key"), new OpenAIClientOptions { Endpoint = server.Endpoint, RetryPolicy = retryPolicy });
}

/// <summary>The client's default retry policy (the same statuses, the same count) without its waits, so that a test
/// of how attempts multiply does not sleep for seconds.</summary>
internal sealed class ImmediateClientRetryPolicy(int maxRetries) : ClientRetryPolicy(maxRetries)
{
    protected override TimeSpan GetNextDelay(PipelineMessage message, int tryCount) => TimeSpan.Zero;
}
