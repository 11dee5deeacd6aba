using StreamingBeam.Samples.Console.Beam;

namespace StreamingBeam.Samples.Console.Cli;

/// <summary>What the sample takes from its surroundings, so that tests can replace it: environment variables, the
/// simulated providers (from a seed and an optional image quota), and whether the output is a terminal that can show a
/// live progress line.</summary>
internal sealed record SampleEnvironment(Func<string, string?> GetVariable, Func<long, ImageQuota?, BeamProviders> SimulatedProviders, bool Interactive)
{
    public static SampleEnvironment Default { get; } = new(Environment.GetEnvironmentVariable, (seed, quota) => BeamProviders.Simulated(seed, quota: quota), Interactive: false);

    /// <summary>Gets the environment of a real run: a live progress line only on a terminal that is not redirected
    /// and not "dumb", so a piped or captured run prints plain lines.</summary>
    public static SampleEnvironment FromConsole() => Default with
    {
        Interactive = !System.Console.IsOutputRedirected
            && Environment.GetEnvironmentVariable("TERM") is not (null or "" or "dumb")
            && Environment.GetEnvironmentVariable("NO_COLOR") is null,
    };
}
