namespace StreamingBeam.Testing;

/// <summary>Options of a <see cref="SimulatedImageGenerator"/>.</summary>
public sealed class SimulatedImageGeneratorOptions : SimulatedProviderOptions
{
    /// <summary>The largest width or height allowed, in pixels.</summary>
    public const int MaxSize = 4096;

    private static readonly SimulatedOperation[] GeneratorOperations = [SimulatedOperation.GenerateImage];

    /// <summary>Initializes a new instance of the <see cref="SimulatedImageGeneratorOptions"/> class with the defaults.</summary>
    /// <remarks>The default <see cref="SimulatedProviderOptions.Latency"/> is log-normal with a median of 2 s and sigma 0.4,
    /// about what a hosted diffusion model takes for one image.</remarks>
    public SimulatedImageGeneratorOptions()
        : base(LatencyDistribution.LogNormal(TimeSpan.FromSeconds(2), 0.4))
    {
    }

    /// <summary>Gets or sets the cost of one image, zero or more, in the caller's currency unit.</summary>
    /// <value>The default value is 0.04.</value>
    public decimal CostPerImage { get; set; } = 0.04m;

    /// <summary>Gets or sets the width of the rendered images, from 1 to <see cref="MaxSize"/> pixels.</summary>
    /// <value>The default value is 256.</value>
    public int Width { get; set; } = 256;

    /// <summary>Gets or sets the height of the rendered images, from 1 to <see cref="MaxSize"/> pixels.</summary>
    /// <value>The default value is 256.</value>
    public int Height { get; set; } = 256;

    /// <summary>Gets or sets a value indicating whether images are rendered as real PNG bytes.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    /// <remarks>
    /// When <see langword="false"/>, an image carries no bytes, only a <c>simulated:</c> URI naming it, and renders in
    /// microseconds instead of milliseconds: use that to benchmark an engine's overhead. Scores are the same either way,
    /// because the simulated scorer reads the prompt from the image's metadata.
    /// </remarks>
    public bool RenderImages { get; set; } = true;

    private protected override string OptionsName => nameof(SimulatedImageGeneratorOptions);

    private protected override IReadOnlyCollection<SimulatedOperation> Operations => GeneratorOperations;

    internal override void Validate()
    {
        base.Validate();
        CheckCost(CostPerImage, nameof(CostPerImage));
        CheckSize(Width, nameof(Width));
        CheckSize(Height, nameof(Height));
    }

    private void CheckSize(int value, string name)
    {
        if (value is < 1 or > MaxSize)
        {
            throw new ArgumentOutOfRangeException(OptionsParameter, value, $"{OptionsName}.{name} must be between 1 and {MaxSize} pixels.");
        }
    }
}
