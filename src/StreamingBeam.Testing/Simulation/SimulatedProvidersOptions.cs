namespace StreamingBeam.Testing;

/// <summary>Options of the three beam-search providers that <see cref="SimulatedProviders.Create"/> builds.</summary>
public sealed class SimulatedProvidersOptions
{
    /// <summary>Gets or sets the options of the language model.</summary>
    /// <value>The default value is a <see cref="SimulatedLlmOptions"/> with its defaults.</value>
    public SimulatedLlmOptions Llm { get; set; } = new();

    /// <summary>Gets or sets the options of the image generator.</summary>
    /// <value>The default value is a <see cref="SimulatedImageGeneratorOptions"/> with its defaults.</value>
    public SimulatedImageGeneratorOptions ImageGenerator { get; set; } = new();

    /// <summary>Gets or sets the options of the vision scorer.</summary>
    /// <value>The default value is a <see cref="SimulatedVisionScorerOptions"/> with its defaults.</value>
    public SimulatedVisionScorerOptions VisionScorer { get; set; } = new();

    /// <summary>Creates options whose three providers all complete synchronously, with no latency and no faults.</summary>
    /// <returns>The options.</returns>
    /// <remarks>Use them for unit tests and for measuring an engine's own overhead.</remarks>
    public static SimulatedProvidersOptions Instant()
    {
        var options = new SimulatedProvidersOptions();
        options.Llm.Latency = LatencyDistribution.Zero;
        options.ImageGenerator.Latency = LatencyDistribution.Zero;
        options.VisionScorer.Latency = LatencyDistribution.Zero;
        return options;
    }

    internal void Validate()
    {
        if (Llm is null)
        {
            throw new ArgumentNullException("options", $"{nameof(SimulatedProvidersOptions)}.{nameof(Llm)} must not be null.");
        }

        if (ImageGenerator is null)
        {
            throw new ArgumentNullException("options", $"{nameof(SimulatedProvidersOptions)}.{nameof(ImageGenerator)} must not be null.");
        }

        if (VisionScorer is null)
        {
            throw new ArgumentNullException("options", $"{nameof(SimulatedProvidersOptions)}.{nameof(VisionScorer)} must not be null.");
        }
    }
}
