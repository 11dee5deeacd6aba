using StreamingBeam.Samples.Console.Beam;
using StreamingBeam.Samples.Console.Cli;
using StreamingBeam.Testing;

namespace StreamingBeam.Samples.Console.Tests;

/// <summary>The command line: what it reads, and one clear line on stderr with a non-zero exit for every mistake.</summary>
public sealed class SampleCliTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sb-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Prompt_Alone_IsASearchWithTheDefaults()
    {
        var command = await ParseAsync("a lighthouse at dusk");

        Assert.Equal(SampleCommandKind.Search, command.Kind);
        Assert.Equal("a lighthouse at dusk", command.Prompt);
        Assert.Equal((9, 3, 3, 0.7, 42L, "beam-output", false), (command.BeamWidth, command.KeepTop, command.Iterations, command.Alpha, command.Seed, command.OutputDirectory, command.Simulated));
        Assert.Null(command.SimulatedQuota);
    }

    [Theory]
    [InlineData("30", 30, 1)]
    [InlineData("30:5", 30, 5)]
    [InlineData("1", 1, 1)]
    [InlineData("100000:1000", 100000, 1000)]
    public async Task SimulatedQuota_IsImagesPerMinute_WithAnOptionalBurst(string value, int perMinute, int burst)
    {
        var command = await ParseAsync("a fox", "--simulated-quota", value);

        Assert.Equal(new ImageQuota(perMinute, burst), command.SimulatedQuota);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("x")]
    [InlineData("30:0")]
    [InlineData("30:")]
    [InlineData(":5")]
    [InlineData("30:5:1")]
    [InlineData("-3")]
    [InlineData("2.5")]
    [InlineData("100001")]
    [InlineData("30:1001")]
    public async Task SimulatedQuota_ThatIsNotACount_IsOneLineOnStderr(string value)
    {
        await AssertUsageErrorAsync(["a fox", "--simulated-quota", value],
            $"--simulated-quota must be images per minute from 1 to 100000, optionally with a burst from 1 to 1000 (30 or 30:5), but was '{value}'.");
    }

    [Fact]
    public async Task SimulatedQuota_LimitsTheSimulatedImageGenerator_AndImpliesSimulatedProviders()
    {
        BeamProviders? built = null;
        var options = SimulatedProvidersOptions.Instant();
        options.Llm.Latency = LatencyDistribution.Fixed(TimeSpan.FromMilliseconds(20));
        var environment = new SampleEnvironment(
            name => name == "OPENAI_API_KEY" ? "a-real-key" : null,
            (seed, quota) => built = BeamProviders.Simulated(seed, options, quota),
            Interactive: false);

        // An image a second, burst 1, and three lanes whose expansions all end 20 ms in, so that they ask for their
        // images together: at least one is refused. (Whether the engine then fails the candidate or waits for the
        // cooldown, the search ends with a best.)
        var (exit, output, error) = await RunAsync(environment, "a fox", "-n", "3", "-m", "1", "-i", "1", "--simulated-quota", "60", "-o", Path.Combine(_directory, "out"));

        Assert.Equal(0, exit);
        Assert.Empty(error);
        Assert.NotNull(built);
        Assert.Contains("on simulated providers, seed 42, image quota 60 images per minute, burst 1", output, StringComparison.Ordinal);
        var refused = ((SimulatedImageGenerator)built.Images).RateLimitedCalls;
        Assert.True(refused >= 1, "No image call was refused.");
        Assert.Contains($"  Quota:    60 images per minute, burst 1; {ConsoleText.Count(refused, "image call")} refused with HTTP 429", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SimulatedProviders_WithAQuota_RefuseOverIt_AndSaySoInTheSummary()
    {
        var providers = BeamProviders.Simulated(1, SimulatedProvidersOptions.Instant(), new ImageQuota(1, 1));

        await providers.Images.GenerateAsync("a fox");
        var refused = await Assert.ThrowsAsync<ProviderRateLimitedException>(() => providers.Images.GenerateAsync("a fox"));

        Assert.InRange(refused.RetryAfter!.Value, TimeSpan.FromSeconds(59), TimeSpan.FromMinutes(1));
        Assert.Equal("1 image per minute, burst 1; 1 image call refused with HTTP 429", providers.QuotaSummary!());
        Assert.Null(BeamProviders.Simulated(1, SimulatedProvidersOptions.Instant()).QuotaSummary);
    }

    [Fact]
    public async Task WithoutAQuota_TheSummaryHasNoQuotaLine()
    {
        var (exit, output, _) = await RunAsync("a fox", "-n", "2", "-m", "1", "-i", "1", "-o", Path.Combine(_directory, "out"));

        Assert.Equal(0, exit);
        Assert.DoesNotContain("Quota:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("image quota", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("search", "a fox", "-n", "12", "--keep-top", "4", "-i", "5", "--alpha", "0.5", "--seed", "7", "-o", "out", "--simulated")]
    [InlineData("a fox", "--beam-width", "12", "-m", "4", "--iterations", "5", "-a", "0.5", "-s", "7", "--output", "out", "--simulated")]
    public async Task EveryOption_IsRead_LongOrShort(params string[] args)
    {
        var command = await ParseAsync(args);

        Assert.Equal(("a fox", 12, 4, 5, 0.5, 7L, "out", true), (command.Prompt, command.BeamWidth, command.KeepTop, command.Iterations, command.Alpha, command.Seed, command.OutputDirectory, command.Simulated));
    }

    [Fact]
    public async Task PriceOptions_AreRead_AndNoneMeansUnknown()
    {
        var priced = await ParseAsync("a fox", "--price-input", "0.15", "--price-output", "0.6", "--price-image", "0.04", "--price-image-input", "5", "--price-image-output", "40");
        var unpriced = await ParseAsync("a fox");

        Assert.Equal(new ProviderPrices { InputPer1M = 0.15m, OutputPer1M = 0.6m, PerImage = 0.04m, ImageInputPer1M = 5m, ImageOutputPer1M = 40m }, priced.Prices);
        Assert.Equal(ProviderPrices.None, unpriced.Prices);
    }

    [Fact]
    public async Task Extract_TakesAnImagePathAndASeed()
    {
        var image = Path.Combine(_directory, "photo.png");
        await File.WriteAllBytesAsync(image, TestImages.Solid(4, 4, 1, 2, 3));

        var command = await ParseAsync("extract", image, "--seed", "5");

        Assert.Equal((SampleCommandKind.Extract, image, 5L), (command.Kind, command.ImagePath, command.Seed));
    }

    [Theory]
    [InlineData]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("search", "--help")]
    [InlineData("extract", "-h")]
    public async Task Help_PrintsUsage_AndExitsZero(params string[] args)
    {
        var (exit, output, error) = await RunAsync(args);

        Assert.Equal(0, exit);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Empty(error);
    }

    [Fact]
    public async Task Help_ListsTheCommandsAndTheSearchOptions()
    {
        var (_, root, _) = await RunAsync("--help");
        var search = (await RunAsync("search", "--help")).Output;

        Assert.Contains("extract <image>", root, StringComparison.Ordinal);
        Assert.Contains("OPENAI_API_KEY", root, StringComparison.Ordinal);
        foreach (var option in new[] { "--beam-width", "--keep-top", "--iterations", "--alpha", "--seed", "--output", "--simulated", "--price-input", "--price-output", "--price-image", "--price-image-input", "--price-image-output", "--simulated-quota <images-per-minute[:burst]>", "STREAMINGBEAM_PRICE_INPUT" })
        {
            Assert.Contains(option, search, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Version_PrintsTheVersion_AndExitsZero()
    {
        var (exit, output, error) = await RunAsync("--version");

        Assert.Equal(0, exit);
        Assert.Matches(@"^\d+\.\d+\.\d+", output);
        Assert.Empty(error);
    }

    [Theory]
    [InlineData("Unrecognized option '--bogus'.", "--bogus")]
    [InlineData("Unrecognized option '--bogus'.", "search", "--bogus")]
    [InlineData("'--colour'", "a fox", "--colour", "red")]
    [InlineData("--beam-width must be a whole number from 1 to 1000, but was 'nine'.", "a fox", "-n", "nine")]
    [InlineData("--beam-width must be a whole number from 1 to 1000, but was '0'.", "a fox", "-n", "0")]
    [InlineData("--iterations must be a whole number from 1 to 100, but was '101'.", "a fox", "-i", "101")]
    [InlineData("--keep-top (4) must not be greater than --beam-width (3).", "a fox", "-n", "3", "-m", "4")]
    [InlineData("--alpha must be a number from 0 to 1, but was '1.5'.", "a fox", "--alpha", "1.5")]
    [InlineData("--seed must be a whole number, but was 'x'.", "a fox", "--seed", "x")]
    [InlineData("'--seed'", "a fox", "--seed")]
    [InlineData("--price-input must be a price of zero or more, such as 0.15, but was 'cheap'.", "a fox", "--price-input", "cheap")]
    [InlineData("--price-output must be a price of zero or more, such as 0.15, but was '0,6'.", "a fox", "--price-output", "0,6")]
    [InlineData("--price-image must be a price of zero or more, such as 0.15, but was '4e-2'.", "a fox", "--price-image", "4e-2")]
    [InlineData("--price-image-input must be a price of zero or more, such as 0.15, but was 'x'.", "a fox", "--price-image-input", "x")]
    [InlineData("--price-image-output must be a price of zero or more, such as 0.15, but was 'x'.", "a fox", "--price-image-output", "x")]
    [InlineData("'--price-image'", "a fox", "--price-image")]
    [InlineData("Give a prompt, for example: \"a lighthouse at dusk\".", "search")]
    [InlineData("Give a prompt, for example: \"a lighthouse at dusk\".", "-n", "3")]
    [InlineData("Quote a prompt that has spaces", "a", "fox")]
    [InlineData("The prompt is empty.", "  ")]
    [InlineData("'extract'", "extract")]
    public async Task BadArguments_AreOneLineOnStderr_WithExitCode2(string expected, params string[] args)
    {
        await AssertUsageErrorAsync(args, expected);
    }

    [Fact]
    public async Task Extract_OfAFolder_SaysItIsAFolder()
    {
        await AssertUsageErrorAsync(["extract", _directory], $"'{_directory}' is a folder; give the path of a PNG or JPEG image.");
    }

    [Fact]
    public async Task Extract_OfAMissingFile_SaysItDoesNotExist()
    {
        var missing = Path.Combine(_directory, "nope.png");

        await AssertUsageErrorAsync(["extract", missing], $"The image file '{missing}' does not exist.");
    }

    [Fact]
    public async Task Extract_WithASearchOption_IsAnUnknownOption()
    {
        var image = Path.Combine(_directory, "photo.png");
        await File.WriteAllBytesAsync(image, TestImages.Solid(4, 4, 1, 2, 3));

        await AssertUsageErrorAsync(["extract", image, "-n", "3"], "'-n'");
    }

    [Fact]
    public async Task Extract_OfAFileThatIsNotAnImage_IsOneLine()
    {
        var text = Path.Combine(_directory, "text.png");
        await File.WriteAllTextAsync(text, "not an image\nat all");

        await AssertUsageErrorAsync(["extract", text], "is not a decodable image");
    }

    [Fact]
    public async Task Output_ThatIsAFile_IsRejectedBeforeTheSearch()
    {
        var file = Path.Combine(_directory, "file.txt");
        await File.WriteAllTextAsync(file, "x");

        await AssertUsageErrorAsync(["a fox", "-o", file], $"--output '{file}' is a file");
    }

    [Fact]
    public async Task Output_ThatCannotBeCreated_IsOneLine_NotAStackTrace()
    {
        var file = Path.Combine(_directory, "file.txt");
        await File.WriteAllTextAsync(file, "x");

        await AssertUsageErrorAsync(["a fox", "-o", Path.Combine(file, "inside")], "cannot use '");
        if (OperatingSystem.IsLinux())
        {
            await AssertUsageErrorAsync(["a fox", "-o", "/proc/nope"], "cannot use '/proc/nope' as the output folder");
        }
    }

    [Fact]
    public async Task TheReadmeCommand_RunsWithoutATerminal_AndPrintsPlainLines()
    {
        var (exit, output, error) = await RunAsync("a lighthouse at dusk", "-o", Path.Combine(_directory, "out"));

        Assert.Equal(0, exit);
        Assert.Empty(error);
        Assert.Contains("Best candidate", output, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', output);
    }

    [Fact]
    public async Task OneIteration_IsSingular()
    {
        var (exit, output, _) = await RunAsync("a fox", "-n", "2", "-m", "1", "-i", "1", "-o", Path.Combine(_directory, "out"));

        Assert.Equal(0, exit);
        Assert.Contains("M=1, 1 iteration, alpha", output, StringComparison.Ordinal);
        Assert.Contains("after 1 iteration;", output, StringComparison.Ordinal);
        Assert.DoesNotContain("1 iterations", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NothingScored_EndsWithOneErrorLine_AndExitCode1_AndNoEmptySurvivors()
    {
        var environment = Environment(seed => Failing(seed, _ => true));

        var (exit, output, error) = await RunAsync(environment, "a fox", "-o", Path.Combine(_directory, "out"));

        Assert.Equal(1, exit);
        Assert.Single(Lines(error));
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("survivors ;", output, StringComparison.Ordinal);
        Assert.DoesNotContain("()", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMultiLineProviderError_IsPrintedOnOneLine()
    {
        var environment = Environment(seed => Failing(seed, request => request.VariantIndex == 0));

        var (exit, output, _) = await RunAsync(environment, "a fox", "-o", Path.Combine(_directory, "out"));

        Assert.Equal(0, exit);
        var failed = Lines(output).Where(l => l.Contains("FAILED", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, l => Assert.Contains("the model said: no. Details follow: quota", l, StringComparison.Ordinal));
        Assert.DoesNotContain(Lines(output), l => l.StartsWith("Details follow", StringComparison.Ordinal));
    }

    [Fact]
    public void IterationWithNothingScored_SaysSo()
    {
        var done = new IterationCompletedEvent(0, TimeSpan.Zero, [], null, scored: 0, failed: 9);

        Assert.Equal("no survivors: nothing scored yet", BeamCommand.Survivors(done));
    }

    private static async Task<SampleCommand> ParseAsync(params string[] args)
    {
        SampleCommand? command = null;
        var cli = new SampleCli((c, _) =>
        {
            command = c;
            return Task.FromResult(0);
        });
        var parsed = cli.Parse(args);

        Assert.Empty(parsed.Errors);
        Assert.Equal(0, await parsed.InvokeAsync());
        return command!;
    }

    private static async Task AssertUsageErrorAsync(string[] args, string expected)
    {
        var (exit, output, error) = await RunAsync(args);

        Assert.Equal(SampleApp.UsageError, exit);
        Assert.Empty(output);
        var line = Assert.Single(Lines(error));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    private static Task<(int Exit, string Output, string Error)> RunAsync(params string[] args) =>
        RunAsync(new SampleEnvironment(_ => null, (seed, quota) => BeamProviders.Simulated(seed, SimulatedProvidersOptions.Instant(), quota), Interactive: false), args);

    private static async Task<(int Exit, string Output, string Error)> RunAsync(SampleEnvironment environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await SampleApp.RunAsync(args, output, error, CancellationToken.None, environment);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>No API key, instant simulated providers, no terminal.</summary>
    private static SampleEnvironment Environment(Func<long, BeamProviders> providers) => new(_ => null, (seed, _) => providers(seed), Interactive: false);

    private static BeamProviders Failing(long seed, Func<ExpandRequest, bool> fails)
    {
        var simulated = BeamProviders.Simulated(seed, SimulatedProvidersOptions.Instant());
        return simulated with { Llm = new MultiLineFailureLlm(simulated.Llm, fails) };
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>An LLM whose expansions fail, for the requests chosen, with a message of several lines, as some SDKs write.</summary>
    private sealed class MultiLineFailureLlm(ILlmClient inner, Func<ExpandRequest, bool> fails) : ILlmClient
    {
        public Task<LlmResponse> ExpandAsync(ExpandRequest request, CancellationToken cancellationToken = default) =>
            fails(request)
                ? throw new InvalidOperationException("the model said: no.\nDetails follow:\r\n   quota exceeded\n")
                : inner.ExpandAsync(request, cancellationToken);

        public Task<LlmResponse> CombineAsync(CombineRequest request, CancellationToken cancellationToken = default) => inner.CombineAsync(request, cancellationToken);

        public Task<LlmResponse> CritiqueAsync(CritiqueRequest request, CancellationToken cancellationToken = default) => inner.CritiqueAsync(request, cancellationToken);

        public Task<LlmResponse> RefineAsync(RefineRequest request, CancellationToken cancellationToken = default) => inner.RefineAsync(request, cancellationToken);
    }
}
