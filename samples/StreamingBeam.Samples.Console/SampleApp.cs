using System.CommandLine;
using System.Globalization;
using StreamingBeam.Samples.Console.Beam;
using StreamingBeam.Samples.Console.Cli;

namespace StreamingBeam.Samples.Console;

/// <summary>The sample's entry point, separate from Program so tests can run it with their own writers.</summary>
/// <remarks>Every failure is one line on the error writer, starting with "error: ", and a non-zero exit code:
/// <see cref="UsageError"/> for a bad command line or path, 1 for a search or extraction that failed, 130 when canceled.</remarks>
internal static class SampleApp
{
    public const int UsageError = 2;

    public static async Task<int> RunAsync(
        string[] args,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken,
        SampleEnvironment? environment = null)
    {
        // Numbers print the same on every machine.
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        environment ??= SampleEnvironment.Default;

        var cli = new SampleCli((command, token) => RunCommandAsync(command, output, error, environment, token));
        var parsed = cli.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            await error.WriteLineAsync($"error: {ConsoleText.OneLine(SampleCli.Describe(parsed), 400)} (see --help)");
            return UsageError;
        }

        try
        {
            return await parsed.InvokeAsync(
                new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null },
                cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("Canceled.");
            return 130;
        }
        catch (SampleUsageException ex)
        {
            await error.WriteLineAsync($"error: {ConsoleText.OneLine(ex.Message, 400)}");
            return UsageError;
        }
        catch (Exception ex) when (ex is BeamSearchException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: {ConsoleText.OneLine(ex.Message, 400)}");
            return 1;
        }
    }

    private static Task<int> RunCommandAsync(SampleCommand command, TextWriter output, TextWriter error, SampleEnvironment environment, CancellationToken cancellationToken)
    {
        if (command.Kind == SampleCommandKind.Extract)
        {
            return ExtractCommand.RunAsync(command, output, error, cancellationToken);
        }

        if (command.Prompt.Length == 0)
        {
            throw new SampleUsageException("Give a prompt, for example: \"a lighthouse at dusk\".");
        }

        var simulated = command.Simulated || command.SimulatedQuota is not null;
        var providers = (simulated ? null : BeamProviders.FromEnvironment(environment.GetVariable, command.Prices))
            ?? environment.SimulatedProviders(command.Seed, command.SimulatedQuota);
        return BeamCommand.RunAsync(command, output, providers, cancellationToken, environment.Interactive);
    }
}
