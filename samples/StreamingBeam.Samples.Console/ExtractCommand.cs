using StreamingBeam.Samples.Console.Cli;

namespace StreamingBeam.Samples.Console;

/// <summary>Placeholder until the extraction engine lands.</summary>
internal static class ExtractCommand
{
    public static async Task<int> RunAsync(SampleCommand command, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        await error.WriteLineAsync("extract: not available yet.");
        return 1;
    }
}
