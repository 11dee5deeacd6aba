using StreamingBeam.Extensions.AI.OpenAIClient.Tests.Fakes;
using StreamingBeam.Samples.Console.Beam;
using StreamingBeam.Samples.Console.Cli;
using StreamingBeam.Testing;

namespace StreamingBeam.Samples.Console.Tests;

/// <summary>The sample on real providers: the official OpenAI client against a loopback OpenAI-compatible server, as
/// <c>OPENAI_BASE_URL</c> wires it. Issue #16: the client's own retries are off, and the cost of paid calls is never 0.</summary>
public sealed class RealProvidersOverHttpTests : IAsyncLifetime, IDisposable
{
    private int _answers;

    private readonly string _output = Directory.CreateTempSubdirectory("sb-real-").FullName;
    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeOpenAIServer.StartAsync();
        _server.Reply = request => request.Path.EndsWith("/images/generations", StringComparison.Ordinal)
            ? FakeReply.Image()
            : FakeReply.Chat(Answer(Interlocked.Increment(ref _answers)), promptTokens: 120, completionTokens: 30);
    }

    /// <summary>What every chat call answers; each chat operation reads its own field: prompt (expand, combine, refine),
    /// critique, score and analysis. Numbered, because the engine renders no prompt twice: the same answer to every
    /// candidate would be asked again and then skipped.</summary>
    private static string Answer(int n) =>
        $$"""{"prompt": "a red fox in fresh snow, take {{n}}", "critique": "brighter snow", "score": 7, "analysis": "fine"}""";

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => Directory.Delete(_output, recursive: true);

    [Fact]
    public async Task Http500_EachEngineAttemptIsOneRequest_TheClientDoesNotRetry()
    {
        _server.Reply = _ => FakeReply.Error(500, "The server had an error while processing your request.", "server_error");

        var (exit, _, error) = await RunAsync([], "a fox", "-n", "2", "-m", "1", "-i", "1");

        // 2 candidates x 2 expand calls, each tried 3 times by the engine (2 retries) and once by the client.
        Assert.Equal(1, exit);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Equal(4 * 3, _server.Requests.Count);
    }

    [Fact]
    public async Task NoPrices_TheCostIsUnknown_NotZero()
    {
        var (exit, output, _) = await RunAsync([], "a fox", "-n", "2", "-m", "1", "-i", "1");

        Assert.Equal(0, exit);
        Assert.Contains(
            ", 2 images, cost unknown (set --price-input and --price-output, or STREAMINGBEAM_PRICE_INPUT and STREAMINGBEAM_PRICE_OUTPUT; and --price-image or STREAMINGBEAM_PRICE_IMAGE)",
            output,
            StringComparison.Ordinal);
        Assert.DoesNotContain("cost 0", output, StringComparison.Ordinal);
        Assert.Contains("cost unknown", await File.ReadAllTextAsync(Path.Combine(_output, "index.html")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PricesAsOptions_PriceEveryCall()
    {
        var (exit, output, _) = await RunAsync([], "a fox", "-n", "2", "-m", "1", "-i", "1", "--price-input", "1", "--price-output", "2", "--price-image", "0.04");

        // 10 chat calls (4 expand, 2 combine, 4 scores) of 120 + 30 tokens: 1200 x 1/1M + 300 x 2/1M = 0.0018; 2 images at 0.04.
        Assert.Equal(0, exit);
        Assert.Contains("Usage:    1500 tokens, 2 images, cost 0.0818", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PricesAsEnvironmentVariables_PriceEveryCall()
    {
        var (exit, output, _) = await RunAsync(
            [("STREAMINGBEAM_PRICE_INPUT", "1"), ("STREAMINGBEAM_PRICE_OUTPUT", "2"), ("STREAMINGBEAM_PRICE_IMAGE", "0.04")],
            "a fox", "-n", "2", "-m", "1", "-i", "1");

        Assert.Equal(0, exit);
        Assert.Contains("cost 0.0818", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadPriceVariable_IsOneLineOnStderr_WithExitCode2_BeforeAnyCall()
    {
        var (exit, output, error) = await RunAsync([("STREAMINGBEAM_PRICE_IMAGE", "four cents")], "a fox");

        Assert.Equal(SampleApp.UsageError, exit);
        Assert.Empty(output);
        Assert.Equal("error: STREAMINGBEAM_PRICE_IMAGE must be a price of zero or more, such as 0.15, but was 'four cents'.", error.Trim());
        Assert.Empty(_server.Requests);
    }

    private async Task<(int Exit, string Output, string Error)> RunAsync((string Name, string Value)[] variables, params string[] args)
    {
        var environment = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        environment["OPENAI_API_KEY"] = "test-key";
        environment["OPENAI_BASE_URL"] = _server.Endpoint.ToString();
        var sample = new SampleEnvironment(environment.GetValueOrDefault, (seed, _) => BeamProviders.Simulated(seed, SimulatedProvidersOptions.Instant()), Interactive: false);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await SampleApp.RunAsync([.. args, "-o", _output], output, error, CancellationToken.None, sample);
        return (exit, output.ToString(), error.ToString());
    }
}
