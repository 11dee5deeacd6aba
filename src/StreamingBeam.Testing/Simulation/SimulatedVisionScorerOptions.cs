namespace StreamingBeam.Testing;

/// <summary>Options of a <see cref="SimulatedVisionScorer"/>.</summary>
public sealed class SimulatedVisionScorerOptions : SimulatedProviderOptions
{
    private static readonly SimulatedOperation[] ScorerOperations = [SimulatedOperation.ScoreAlignment, SimulatedOperation.ScoreAesthetic];

    /// <summary>Initializes a new instance of the <see cref="SimulatedVisionScorerOptions"/> class with the defaults.</summary>
    /// <remarks>The default <see cref="SimulatedProviderOptions.Latency"/> is log-normal with a median of 700 ms and sigma 0.4.</remarks>
    public SimulatedVisionScorerOptions()
        : base(LatencyDistribution.LogNormal(TimeSpan.FromMilliseconds(700), 0.4))
    {
    }

    /// <summary>Gets or sets the cost of one scoring call, zero or more, in the caller's currency unit.</summary>
    /// <value>The default value is 0.002.</value>
    public decimal CostPerCall { get; set; } = 0.002m;

    /// <summary>Gets or sets how far seeded noise moves a score, up or down, from 0 to 0.5.</summary>
    /// <value>The default value is 0.08.</value>
    /// <remarks>Zero makes scores a function of the prompts alone; larger values make the search's job harder.</remarks>
    public double Noise { get; set; } = 0.08;

    private protected override string OptionsName => nameof(SimulatedVisionScorerOptions);

    private protected override IReadOnlyCollection<SimulatedOperation> Operations => ScorerOperations;

    internal override void Validate()
    {
        base.Validate();
        CheckCost(CostPerCall, nameof(CostPerCall));
        if (!(Noise >= 0 && Noise <= 0.5))
        {
            throw new ArgumentOutOfRangeException(OptionsParameter, Noise, $"{OptionsName}.{nameof(Noise)} must be between 0 and 0.5 (inclusive).");
        }
    }
}
