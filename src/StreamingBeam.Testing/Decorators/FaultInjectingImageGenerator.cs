namespace StreamingBeam.Testing;

/// <summary>An <see cref="IImageGenerator"/> decorator that fails, hangs or answers an image without content for some
/// calls, as <see cref="FaultInjectionOptions"/> decides, and passes the others to the inner generator.</summary>
public sealed class FaultInjectingImageGenerator : DelegatingImageGenerator
{
    private readonly FaultPlan _plan;

    /// <summary>Initializes a new instance of the <see cref="FaultInjectingImageGenerator"/> class.</summary>
    /// <param name="innerGenerator">The generator the calls that are spared go to.</param>
    /// <param name="options">Which calls to fault; copied.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid.</exception>
    public FaultInjectingImageGenerator(IImageGenerator innerGenerator, FaultInjectionOptions options)
        : base(innerGenerator) => _plan = new FaultPlan(options, nameof(IImageGenerator));

    /// <inheritdoc/>
    public override Task<GeneratedImage> GenerateAsync(string prompt, CancellationToken cancellationToken = default) =>
        _plan.RunAsync(BeamGateKeys.Image(prompt), ct => base.GenerateAsync(prompt, ct), static () => new GeneratedImage(), cancellationToken);
}
