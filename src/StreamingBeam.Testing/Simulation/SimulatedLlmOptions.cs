namespace StreamingBeam.Testing;

/// <summary>Options of a <see cref="SimulatedLlmClient"/>.</summary>
public sealed class SimulatedLlmOptions : SimulatedProviderOptions
{
    private static readonly SimulatedOperation[] LlmOperations =
        [SimulatedOperation.Expand, SimulatedOperation.Combine, SimulatedOperation.Critique, SimulatedOperation.Refine];

    /// <summary>Initializes a new instance of the <see cref="SimulatedLlmOptions"/> class with the defaults.</summary>
    /// <remarks>The default <see cref="SimulatedProviderOptions.Latency"/> is log-normal with a median of 600 ms and sigma 0.5,
    /// which is about what a hosted chat model takes for a short answer.</remarks>
    public SimulatedLlmOptions()
        : base(LatencyDistribution.LogNormal(TimeSpan.FromMilliseconds(600), 0.5))
    {
    }

    /// <summary>Gets or sets the cost of one call, zero or more, in the caller's currency unit.</summary>
    /// <value>The default value is 0.0005.</value>
    public decimal CostPerCall { get; set; } = 0.0005m;

    /// <summary>Gets or sets the cost of one thousand tokens (input and output), zero or more, added to <see cref="CostPerCall"/>.</summary>
    /// <value>The default value is 0.</value>
    /// <remarks>Tokens are estimated at one per four characters of text, plus a fixed overhead per call for the instructions.</remarks>
    public decimal CostPerThousandTokens { get; set; }

    private protected override string OptionsName => nameof(SimulatedLlmOptions);

    private protected override IReadOnlyCollection<SimulatedOperation> Operations => LlmOperations;

    internal override void Validate()
    {
        base.Validate();
        CheckCost(CostPerCall, nameof(CostPerCall));
        CheckCost(CostPerThousandTokens, nameof(CostPerThousandTokens));
    }
}
