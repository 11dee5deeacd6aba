using StreamingBeam.Samples.Console.Beam;
using StreamingBeam.Samples.Console.Cli;
using StreamingBeam.Testing;

namespace StreamingBeam.Samples.Console.Tests;

public sealed class BeamCommandTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), "sb-sample-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }

    [Fact]
    public async Task MainPath_WithAFixedSeed_PrintsTheSearchLive_AndWritesTheGallery()
    {
        var command = new SampleCommand { Kind = SampleCommandKind.Search, Prompt = "a lighthouse at dusk", OutputDirectory = _output };

        var first = await RunAsync(command);
        var second = await RunAsync(command with { OutputDirectory = _output + "-again" });
        Directory.Delete(_output + "-again", recursive: true);

        Assert.Equal(0, first.Exit);
        Assert.Contains("-- iteration 0 complete: 9 scored", first.Text, StringComparison.Ordinal);
        Assert.Contains("-- iteration 2 complete", first.Text, StringComparison.Ordinal);
        Assert.Contains("  WHAT:", first.Text, StringComparison.Ordinal);
        Assert.Contains("  HOW:", first.Text, StringComparison.Ordinal);
        Assert.Contains("Gallery: " + Path.Combine(_output, "index.html"), first.Text, StringComparison.Ordinal);

        // The same seed gives the same search: the summary (everything after the live lines) is identical.
        Assert.Equal(Summary(first.Text).Replace(_output, "<out>", StringComparison.Ordinal), Summary(second.Text).Replace(_output + "-again", "<out>", StringComparison.Ordinal));

        var pngs = Directory.GetFiles(_output, "*.png");
        Assert.Equal(27, pngs.Length);
        Assert.All(pngs, png => Assert.Equal(0x89, File.ReadAllBytes(png)[0]));
        var index = await File.ReadAllTextAsync(Path.Combine(_output, "index.html"));
        Assert.Contains("survivor", index, StringComparison.Ordinal);
        Assert.Contains("c2-", index, StringComparison.Ordinal);
    }

    [Fact]
    public void Providers_AreSimulated_WithoutAnApiKey_AndReal_WithOne()
    {
        Assert.Null(BeamProviders.FromEnvironment(_ => null));

        var real = BeamProviders.FromEnvironment(name => name switch
        {
            "OPENAI_API_KEY" => "test-key",
            "OPENAI_BASE_URL" => "http://127.0.0.1:11434/v1",
            "OPENAI_CHAT_MODEL" => "llama3.2-vision",
            _ => null,
        });

        Assert.NotNull(real);
        Assert.IsType<StreamingBeam.Extensions.AI.ChatClientLlm>(real.Llm);
        Assert.IsType<StreamingBeam.Extensions.AI.ChatClientVisionScorer>(real.Scorer);
        Assert.Equal("llama3.2-vision and gpt-image-1 at http://127.0.0.1:11434/v1", real.Description);
    }

    private static async Task<(int Exit, string Text)> RunAsync(SampleCommand command)
    {
        using var writer = new StringWriter();
        var exit = await BeamCommand.RunAsync(command, writer, BeamProviders.Simulated(command.Seed, SimulatedProvidersOptions.Instant()), CancellationToken.None);
        return (exit, writer.ToString());
    }

    private static string Summary(string text)
    {
        var start = text.IndexOf("Best candidate", StringComparison.Ordinal);
        var lines = text[start..].Split('\n').Where(l => !l.TrimStart().StartsWith("Time:", StringComparison.Ordinal));
        return string.Join('\n', lines);
    }
}
