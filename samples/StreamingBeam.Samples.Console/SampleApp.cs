using System.Globalization;
using StreamingBeam.Samples.Console.Beam;
using StreamingBeam.Samples.Console.Cli;

namespace StreamingBeam.Samples.Console;

/// <summary>The sample's entry point, separate from Program so tests can run it with their own writers.</summary>
internal static class SampleApp
{
    public const int UsageError = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        // Numbers print the same on every machine.
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        if (!SampleArguments.TryParse(args, out var command, out var problem))
        {
            await error.WriteLineAsync($"error: {problem}");
            await error.WriteLineAsync("Run with --help for usage.");
            return UsageError;
        }

        try
        {
            return command.Kind switch
            {
                SampleCommandKind.Search => await BeamCommand.RunAsync(command, output, ChooseProviders(command), cancellationToken),
                SampleCommandKind.Extract => await ExtractCommand.RunAsync(command, output, error, cancellationToken),
                _ => await ShowUsageAsync(output),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("Canceled.");
            return 130;
        }
        catch (BeamSearchException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
    }

    private static BeamProviders ChooseProviders(SampleCommand command) =>
        (command.Simulated ? null : BeamProviders.FromEnvironment(Environment.GetEnvironmentVariable))
        ?? BeamProviders.Simulated(command.Seed);

    private static async Task<int> ShowUsageAsync(TextWriter output)
    {
        await output.WriteLineAsync(SampleArguments.Usage);
        return 0;
    }
}
