using Microsoft.Extensions.AI;
using StreamingBeam.Extensions.AI.OpenAIClient.Tests.Fakes;

namespace StreamingBeam.Extensions.AI.OpenAIClient.Tests;

/// <summary>Issue #16 item 3, counted in HTTP requests: the engine's retries and the OpenAI client's own retry policy
/// multiply, and the engine retries only what can succeed.</summary>
public sealed class RetriesOverHttpTests : IAsyncLifetime
{
    // N = 3 candidates: 6 expand calls (WHAT and HOW for each) before anything else can happen.
    private const int ExpandCalls = 6;
    private const int LibraryRetries = 2;

    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Http500_WithTheClientsRetriesOff_EachLibraryAttemptIsOneRequest()
    {
        _server.Reply = _ => FakeReply.Error(500, "The server had an error while processing your request.", "server_error");

        await SearchAsync(OpenAIClients.For(_server));

        Assert.Equal(ExpandCalls * (1 + LibraryRetries), ChatRequests()); // 18
        Assert.Equal(0, ImageRequests());
    }

    [Fact]
    public async Task Http500_WithTheClientsDefaultRetries_AttemptsMultiply()
    {
        // What the issue observed: 3 library attempts x 4 attempts of the client's policy (3 retries) per call. The
        // policy here is the default one without its waits, so that the test does not sleep.
        _server.Reply = _ => FakeReply.Error(500, "The server had an error while processing your request.", "server_error");

        await SearchAsync(OpenAIClients.For(_server, new ImmediateClientRetryPolicy(maxRetries: 3)));

        Assert.Equal(ExpandCalls * (1 + LibraryRetries) * (1 + 3), ChatRequests()); // 72
    }

    [Fact]
    public async Task ImageHttp404_IsNotRetried()
    {
        // Prompts are written (each its own: the engine renders no prompt twice), every image generation answers 404:
        // one request per candidate, however many retries.
        var answers = 0;
        _server.Reply = request => request.Path.EndsWith("/images/generations", StringComparison.Ordinal)
            ? FakeReply.Error(404, "The model `dall-e-9` does not exist.", "model_not_found")
            : FakeReply.Chat($"{{\"prompt\": \"a red fox in fresh snow, take {Interlocked.Increment(ref answers)}\"}}");

        var failures = await SearchAsync(OpenAIClients.For(_server));

        Assert.Equal(3, ImageRequests());
        Assert.Equal(3, failures.Count);
        Assert.All(failures, failure =>
        {
            var error = Assert.IsAssignableFrom<ProviderException>(failure.Exception);
            Assert.Equal(404, error.StatusCode);
            Assert.Equal("ImageGeneratorAdapter.GenerateAsync", error.Operation);
            Assert.Equal("dall-e-9", error.Model);
        });
    }

    private static async Task<List<CandidateFailedEvent>> SearchAsync(OpenAI.OpenAIClient client)
    {
        var chat = client.GetChatClient("gpt-test").AsIChatClient();
        var engine = new BeamSearchEngine(
            new ChatClientLlm(chat),
            new ImageGeneratorAdapter(client.GetImageClient("dall-e-9").AsIImageGenerator()),
            new ChatClientVisionScorer(chat));
        var options = new BeamSearchOptions
        {
            BeamWidth = 3,
            KeepTop = 1,
            MaxIterations = 1,
            Retry = new BeamRetryOptions { MaxRetries = LibraryRetries, BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero },
        };

        var failures = new List<CandidateFailedEvent>();
        try
        {
            await foreach (var e in engine.SearchStreamingAsync("a fox in the snow", options))
            {
                if (e is CandidateFailedEvent failed)
                {
                    failures.Add(failed);
                }
            }
        }
        catch (BeamSearchException)
        {
            // Every candidate failed: expected here; what counts is what reached the server.
        }

        return failures;
    }

    private int ChatRequests() => _server.Requests.Count(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal));

    private int ImageRequests() => _server.Requests.Count(r => r.Path.EndsWith("/images/generations", StringComparison.Ordinal));
}
