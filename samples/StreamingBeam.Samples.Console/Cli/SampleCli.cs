using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using StreamingBeam.Samples.Console.Beam;

namespace StreamingBeam.Samples.Console.Cli;

/// <summary>
/// The sample's command line, on System.CommandLine: a prompt alone (or <c>search "prompt"</c>) runs a beam search,
/// <c>extract image</c> runs atomic extraction; <c>--help</c> and <c>--version</c> come with the parser, values are
/// typed and range-checked, and an unknown option is an error.
/// </summary>
internal sealed class SampleCli
{
    private readonly Option<int> _beamWidth = IntOption("--beam-width", "-n", "Candidates per iteration", 9, 1, 1000);
    private readonly Option<int> _keepTop = IntOption("--keep-top", "-m", "Survivors kept per iteration (at most N)", 3, 1, 1000);
    private readonly Option<int> _iterations = IntOption("--iterations", "-i", "Iterations, counting the first", 3, 1, 100);
    private readonly Option<double> _alpha = new("--alpha", "-a")
    {
        Description = "Weight of alignment in the total, from 0 to 1",
        DefaultValueFactory = _ => 0.7,
        CustomParser = ParseAlpha,
    };

    private readonly Option<long> _seed = new("--seed", "-s")
    {
        Description = "Seed of the simulated providers",
        DefaultValueFactory = _ => SampleCommand.DefaultSeed,
        CustomParser = ParseSeed,
    };

    private readonly Option<string> _output = new("--output", "-o")
    {
        Description = "Folder for the images and index.html",
        DefaultValueFactory = _ => "beam-output",
    };

    private readonly Option<bool> _simulated = new("--simulated")
    {
        Description = "Use the simulated providers even when OPENAI_API_KEY is set",
    };

    private readonly PriceOptions _prices = new();
    private readonly Option<ImageQuota?> _simulatedQuota = new("--simulated-quota")
    {
        Description = "Give the simulated image generator a quota, as an API key has: images per minute, refilled "
            + "continuously, with an optional burst (default 1), for example 30 or 30:5. Calls over it get HTTP 429 "
            + "with a Retry-After. Implies --simulated",
        HelpName = "images-per-minute[:burst]",
        CustomParser = ParseQuota,
    };

    private readonly Argument<string?> _prompt = new("prompt") { Description = "What to picture, in quotes", Arity = ArgumentArity.ZeroOrOne };
    private readonly Argument<string> _image = new("image") { Description = "A PNG or JPEG file" };

    public SampleCli(Func<SampleCommand, CancellationToken, Task<int>> run)
    {
        _output.Validators.Add(ValidateOutput);
        _image.Validators.Add(ValidateImage);

        var search = new Command("search", "Run a live beam search (the default command: a prompt alone is a search)");
        AddSearchOptions(search, _prompt);
        search.SetAction((result, cancellationToken) => run(ToSearch(result, _prompt), cancellationToken));

        var extract = new Command("extract", "Run atomic extraction over a PNG or JPEG image") { _image, _seed };
        extract.SetAction((result, cancellationToken) =>
            run(new SampleCommand { Kind = SampleCommandKind.Extract, ImagePath = result.GetValue(_image)!, Seed = result.GetValue(_seed) }, cancellationToken));

        Root = new RootCommand(
            """
            StreamingBeam console sample: a live beam search for a text-to-image prompt, offline on simulated providers
            (no API key needed). With OPENAI_API_KEY set (and optionally OPENAI_BASE_URL for any OpenAI-compatible server,
            OPENAI_CHAT_MODEL, OPENAI_IMAGE_MODEL) the search runs on those providers instead, with the OpenAI client's own
            retries off (the engine retries); give their prices (search --help: --price-*, or STREAMINGBEAM_PRICE_*) or the
            cost is reported as unknown.

            Examples:
              StreamingBeam.Samples.Console "a lighthouse at dusk" -n 12 -i 4    (a prompt alone is a search; see search --help)
              StreamingBeam.Samples.Console extract photo.jpg
            """);
        Root.Subcommands.Add(search);
        Root.Subcommands.Add(extract);
    }

    /// <summary>Gets the root command (tests read its help).</summary>
    public RootCommand Root { get; }

    /// <summary>Parses a command line. Search is the default command: a line that does not start with a command or
    /// with help or version is a search (<c>"a lighthouse at dusk" -n 12</c>), and an empty line asks for help.</summary>
    public ParseResult Parse(IReadOnlyList<string> args) => Root.Parse(args switch
    {
        [] => ["--help"],
        ["search" or "extract" or "-h" or "--help" or "-?" or "/?" or "--version", ..] => args,
        _ => ["search", .. args],
    });

    /// <summary>Turns a parse error into the one line the sample prints for it.</summary>
    public static string Describe(ParseResult result)
    {
        var message = result.Errors[0].Message;
        var stray = result.UnmatchedTokens.FirstOrDefault(t => !t.StartsWith('-'));
        return stray is not null && message.Contains($"'{stray}'", StringComparison.Ordinal)
            ? $"{message} Quote a prompt that has spaces: \"a lighthouse at dusk\"."
            : message;
    }

    private void AddSearchOptions(Command command, Argument<string?> prompt)
    {
        command.Arguments.Add(prompt);
        foreach (var option in new Option[] { _beamWidth, _keepTop, _iterations, _alpha, _seed, _output, _simulated })
        {
            command.Options.Add(option);
        }

        foreach (var option in _prices.All)
        {
            command.Options.Add(option);
        }
        command.Options.Add(_simulatedQuota);

        prompt.Validators.Add(result =>
        {
            // An option the parser does not know lands here as the prompt: say so rather than search for "--bogus".
            if (result.Tokens is [{ Value: ['-', _, ..] token }])
            {
                result.AddError($"Unrecognized option '{token}'.");
            }
            else if (result.Tokens is [{ Value: var text }] && string.IsNullOrWhiteSpace(text))
            {
                result.AddError("The prompt is empty.");
            }
        });
        command.Validators.Add(result =>
        {
            // Compared only when both values parsed; a value that did not parse has its own error already.
            if (IntValue(result, _keepTop, 3) is { } m && IntValue(result, _beamWidth, 9) is { } n && m > n)
            {
                result.AddError($"--keep-top ({m}) must not be greater than --beam-width ({n}).");
            }
        });
    }

    private static int? IntValue(CommandResult command, Option<int> option, int defaultValue) =>
        command.GetResult(option) switch
        {
            null => defaultValue,
            { Tokens: [var token] } when int.TryParse(token.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 1 => value,
            _ => null,
        };

    private SampleCommand ToSearch(ParseResult result, Argument<string?> prompt) => new()
    {
        Kind = SampleCommandKind.Search,
        Prompt = result.GetValue(prompt) ?? string.Empty,
        BeamWidth = result.GetValue(_beamWidth),
        KeepTop = result.GetValue(_keepTop),
        Iterations = result.GetValue(_iterations),
        Alpha = result.GetValue(_alpha),
        Seed = result.GetValue(_seed),
        OutputDirectory = result.GetValue(_output)!,
        Simulated = result.GetValue(_simulated),
        Prices = _prices.Read(result),
        SimulatedQuota = result.GetValue(_simulatedQuota),
    };

    private static Option<int> IntOption(string name, string alias, string description, int defaultValue, int min, int max) => new(name, alias)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens[0].Value;
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            {
                return value;
            }

            result.AddError($"{name} must be a whole number from {min} to {max}, but was '{text}'.");
            return default;
        },
    };

    private static double ParseAlpha(ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var alpha) && alpha >= 0 && alpha <= 1)
        {
            return alpha;
        }

        result.AddError($"--alpha must be a number from 0 to 1, but was '{text}'.");
        return default;
    }

    private static long ParseSeed(ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed))
        {
            return seed;
        }

        result.AddError($"--seed must be a whole number, but was '{text}'.");
        return default;
    }

    private static ImageQuota? ParseQuota(ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        if (ImageQuota.TryParse(text, out var quota))
        {
            return quota;
        }

        result.AddError($"--simulated-quota must be images per minute from 1 to {ImageQuota.MaxImagesPerMinute}, optionally with a burst from 1 to {ImageQuota.MaxBurst} (30 or 30:5), but was '{text}'.");
        return null;
    }

    private static void ValidateOutput(OptionResult result)
    {
        if (result.GetValueOrDefault<string>() is { } path && File.Exists(path))
        {
            result.AddError($"--output '{path}' is a file; give a folder for the images and index.html.");
        }
    }

    private static void ValidateImage(ArgumentResult result)
    {
        var path = result.GetValueOrDefault<string>();
        if (Directory.Exists(path))
        {
            result.AddError($"'{path}' is a folder; give the path of a PNG or JPEG image.");
        }
        else if (!File.Exists(path))
        {
            result.AddError($"The image file '{path}' does not exist.");
        }
    }
}
