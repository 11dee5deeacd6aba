using StreamingBeam.Samples.Console.Beam;

namespace StreamingBeam.Samples.Console.Cli;

/// <summary>What the user asked the sample to do.</summary>
internal enum SampleCommandKind
{
    Search,
    Extract,
}

/// <summary>A parsed command line.</summary>
internal sealed record SampleCommand
{
    public const int DefaultSeed = 42;

    public required SampleCommandKind Kind { get; init; }

    public string Prompt { get; init; } = string.Empty;

    public string ImagePath { get; init; } = string.Empty;

    public int BeamWidth { get; init; } = 9;

    public int KeepTop { get; init; } = 3;

    public int Iterations { get; init; } = 3;

    public double Alpha { get; init; } = 0.7;

    public long Seed { get; init; } = DefaultSeed;

    public string OutputDirectory { get; init; } = "beam-output";

    /// <summary>Gets a value indicating whether to use the simulated providers even when OPENAI_API_KEY is set.</summary>
    public bool Simulated { get; init; }

    /// <summary>Gets the prices given on the command line, for real providers (the environment fills the others).</summary>
    public ProviderPrices Prices { get; init; } = ProviderPrices.None;

    /// <summary>Gets the quota of the simulated image generator, or <see langword="null"/> for none. A quota implies
    /// the simulated providers.</summary>
    public ImageQuota? SimulatedQuota { get; init; }
}
