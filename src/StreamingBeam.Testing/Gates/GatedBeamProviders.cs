namespace StreamingBeam.Testing;

/// <summary>The three gated beam-search fakes sharing one <see cref="CallGate"/>, ready to build an engine from.</summary>
/// <example>
/// <code>
/// // Hold candidate 0's style expansion; let every other call through.
/// var providers = new GatedBeamProviders(autoRelease: key => key != BeamGateKeys.Expand(PromptDimension.How, 0));
/// var engine = new BeamSearchEngine(providers.Llm, providers.Images, providers.Scorer);
/// </code>
/// </example>
public sealed class GatedBeamProviders
{
    /// <summary>Initializes a new instance of the <see cref="GatedBeamProviders"/> class.</summary>
    /// <param name="autoRelease">Keys whose calls pass without waiting, or <see langword="null"/> to hold every call.</param>
    public GatedBeamProviders(Func<string, bool>? autoRelease = null)
    {
        Gate = new CallGate(autoRelease);
        Llm = new GatedLlmClient(Gate);
        Images = new GatedImageGenerator(Gate);
        Scorer = new GatedVisionScorer(Gate);
    }

    /// <summary>Gets the gate shared by the three fakes.</summary>
    public CallGate Gate { get; }

    /// <summary>Gets the gated language model.</summary>
    public GatedLlmClient Llm { get; }

    /// <summary>Gets the gated image generator.</summary>
    public GatedImageGenerator Images { get; }

    /// <summary>Gets the gated vision scorer.</summary>
    public GatedVisionScorer Scorer { get; }
}
