using System.Globalization;

namespace StreamingBeam.Samples.Console.Cli;

/// <summary>Parses the sample's command line into a <see cref="SampleCommand"/>, or an error that says what was wrong.</summary>
internal static class SampleArguments
{
    public const string Usage = """
        StreamingBeam console sample: runs offline on simulated providers (no API key needed).

        Usage:
          search "<prompt>" [options]     run a live beam search (the default command: the word 'search' may be left out)
          extract <image-file> [--seed S] run atomic extraction over a PNG or JPEG image
          --help                          show this text

        Search options:
          -n, --beam-width N    candidates per iteration          (default 9)
          -m, --keep-top M      survivors kept per iteration      (default 3, at most N)
          -i, --iterations I    iterations, counting the first    (default 3)
          -a, --alpha A         weight of alignment in the total  (default 0.7, from 0 to 1)
          -s, --seed S          seed of the simulated providers   (default 42)
          -o, --output DIR      folder for images and index.html  (default beam-output)
              --simulated       use the simulated providers even when OPENAI_API_KEY is set

        Real providers: set OPENAI_API_KEY (and optionally OPENAI_BASE_URL for any OpenAI-compatible server,
        OPENAI_CHAT_MODEL, OPENAI_IMAGE_MODEL) and the search runs on them instead of the simulated ones.
        """;

    public static bool TryParse(IReadOnlyList<string> args, out SampleCommand command, out string error)
    {
        command = new SampleCommand { Kind = SampleCommandKind.Help };
        error = string.Empty;
        if (args.Count == 0 || args.Any(a => a is "-h" or "--help" or "-?" or "help"))
        {
            return true;
        }

        var kind = SampleCommandKind.Search;
        var position = 0;
        if (args[0] is "search" or "extract")
        {
            kind = args[0] == "search" ? SampleCommandKind.Search : SampleCommandKind.Extract;
            position = 1;
        }

        var positional = new List<string>();
        var result = new SampleCommand { Kind = kind };
        for (var i = position; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-') || arg.Length == 1)
            {
                positional.Add(arg);
                continue;
            }

            if (arg == "--simulated")
            {
                result = result with { Simulated = true };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                error = $"Option {arg} needs a value.";
                return false;
            }

            var value = args[++i];
            switch (arg)
            {
                case "-n" or "--beam-width" when kind == SampleCommandKind.Search:
                    if (!TryInt(arg, value, 1, 1000, out var n, out error)) return false;
                    result = result with { BeamWidth = n };
                    break;
                case "-m" or "--keep-top" when kind == SampleCommandKind.Search:
                    if (!TryInt(arg, value, 1, 1000, out var m, out error)) return false;
                    result = result with { KeepTop = m };
                    break;
                case "-i" or "--iterations" when kind == SampleCommandKind.Search:
                    if (!TryInt(arg, value, 1, 100, out var iterations, out error)) return false;
                    result = result with { Iterations = iterations };
                    break;
                case "-a" or "--alpha" when kind == SampleCommandKind.Search:
                    if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var alpha) || !(alpha >= 0 && alpha <= 1))
                    {
                        error = $"Option {arg} must be a number from 0 to 1, but was '{value}'.";
                        return false;
                    }

                    result = result with { Alpha = alpha };
                    break;
                case "-s" or "--seed":
                    if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed))
                    {
                        error = $"Option {arg} must be a whole number, but was '{value}'.";
                        return false;
                    }

                    result = result with { Seed = seed };
                    break;
                case "-o" or "--output" when kind == SampleCommandKind.Search:
                    result = result with { OutputDirectory = value };
                    break;
                default:
                    error = $"Unknown option {arg} for the {kind.ToString().ToLowerInvariant()} command.";
                    return false;
            }
        }

        if (positional.Count != 1)
        {
            error = positional.Count == 0
                ? kind == SampleCommandKind.Search ? "Give a prompt, for example: \"a lighthouse at dusk\"." : "Give the path of a PNG or JPEG image."
                : $"Expected one {(kind == SampleCommandKind.Search ? "prompt" : "image path")} but got {positional.Count}: quote a prompt that has spaces.";
            return false;
        }

        if (kind == SampleCommandKind.Search)
        {
            if (string.IsNullOrWhiteSpace(positional[0]))
            {
                error = "The prompt is empty.";
                return false;
            }

            if (result.KeepTop > result.BeamWidth)
            {
                error = $"--keep-top ({result.KeepTop}) must not be greater than --beam-width ({result.BeamWidth}).";
                return false;
            }

            command = result with { Prompt = positional[0] };
        }
        else
        {
            command = result with { ImagePath = positional[0] };
        }

        return true;
    }

    private static bool TryInt(string option, string value, int min, int max, out int parsed, out string error)
    {
        error = string.Empty;
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out parsed) || parsed < min || parsed > max)
        {
            error = $"Option {option} must be a whole number from {min} to {max}, but was '{value}'.";
            return false;
        }

        return true;
    }
}
