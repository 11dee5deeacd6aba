namespace StreamingBeam.Testing;

/// <summary>Options of a <see cref="SimulatedExtractor"/>.</summary>
public sealed class SimulatedExtractorOptions : SimulatedProviderOptions
{
    private static readonly SimulatedOperation[] ExtractorOperations = [SimulatedOperation.Extract];

    /// <summary>Initializes a new instance of the <see cref="SimulatedExtractorOptions"/> class with the defaults.</summary>
    /// <remarks>The default <see cref="SimulatedProviderOptions.Latency"/> is log-normal with a median of 300 ms and sigma 0.6.</remarks>
    public SimulatedExtractorOptions()
        : base(LatencyDistribution.LogNormal(TimeSpan.FromMilliseconds(300), 0.6))
    {
    }

    /// <summary>Gets or sets the cost of one call, zero or more, in the caller's currency unit.</summary>
    /// <value>The default value is 0.001.</value>
    public decimal CostPerCall { get; set; } = 0.001m;

    private protected override string OptionsName => nameof(SimulatedExtractorOptions);

    private protected override IReadOnlyCollection<SimulatedOperation> Operations => ExtractorOperations;

    internal override void Validate()
    {
        base.Validate();
        CheckCost(CostPerCall, nameof(CostPerCall));
    }
}
