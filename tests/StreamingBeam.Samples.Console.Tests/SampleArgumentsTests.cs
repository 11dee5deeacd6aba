using StreamingBeam.Samples.Console.Cli;

namespace StreamingBeam.Samples.Console.Tests;

public class SampleArgumentsTests
{
    [Fact]
    public void Prompt_Alone_IsASearchWithTheDefaults()
    {
        Assert.True(SampleArguments.TryParse(["a lighthouse at dusk"], out var command, out _));

        Assert.Equal(SampleCommandKind.Search, command.Kind);
        Assert.Equal("a lighthouse at dusk", command.Prompt);
        Assert.Equal((9, 3, 3, 0.7, 42L), (command.BeamWidth, command.KeepTop, command.Iterations, command.Alpha, command.Seed));
    }

    [Fact]
    public void EveryOption_IsRead()
    {
        Assert.True(SampleArguments.TryParse(
            ["search", "a fox", "-n", "12", "--keep-top", "4", "-i", "5", "--alpha", "0.5", "--seed", "7", "-o", "out"],
            out var command,
            out _));

        Assert.Equal((12, 4, 5, 0.5, 7L, "out"), (command.BeamWidth, command.KeepTop, command.Iterations, command.Alpha, command.Seed, command.OutputDirectory));
    }

    [Fact]
    public void Extract_TakesAnImagePath()
    {
        Assert.True(SampleArguments.TryParse(["extract", "photo.jpg"], out var command, out _));

        Assert.Equal(SampleCommandKind.Extract, command.Kind);
        Assert.Equal("photo.jpg", command.ImagePath);
    }

    [Theory]
    [InlineData("")]
    [InlineData("--help")]
    [InlineData("extract -h")]
    public void Help_IsRecognised(string line)
    {
        var args = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(SampleArguments.TryParse(args, out var command, out _));
        Assert.Equal(SampleCommandKind.Help, command.Kind);
    }

    [Theory]
    [InlineData(new[] { "a fox", "-n", "nine" }, "Option -n must be a whole number from 1 to 1000, but was 'nine'.")]
    [InlineData(new[] { "a fox", "-n", "3", "-m", "4" }, "--keep-top (4) must not be greater than --beam-width (3).")]
    [InlineData(new[] { "a fox", "--alpha", "1.5" }, "Option --alpha must be a number from 0 to 1, but was '1.5'.")]
    [InlineData(new[] { "a fox", "--seed" }, "Option --seed needs a value.")]
    [InlineData(new[] { "a fox", "--colour", "red" }, "Unknown option --colour for the search command.")]
    [InlineData(new[] { "search" }, "Give a prompt, for example: \"a lighthouse at dusk\".")]
    [InlineData(new[] { "a", "fox" }, "Expected one prompt but got 2: quote a prompt that has spaces.")]
    [InlineData(new[] { "extract" }, "Give the path of a PNG or JPEG image.")]
    [InlineData(new[] { "extract", "x.png", "-n", "3" }, "Unknown option -n for the extract command.")]
    [InlineData(new[] { "  " }, "The prompt is empty.")]
    public void BadArguments_GiveAnErrorThatSaysWhatWasWrong(string[] args, string expected)
    {
        Assert.False(SampleArguments.TryParse(args, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public async Task BadArguments_ExitWithAUsageErrorCode()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await SampleApp.RunAsync(["a fox", "-m", "10"], output, error, CancellationToken.None);

        Assert.Equal(SampleApp.UsageError, exit);
        Assert.Contains("--keep-top (10) must not be greater than --beam-width (9).", error.ToString(), StringComparison.Ordinal);
    }
}
