namespace StreamingBeam;

/// <summary>An <see cref="IImageGenerator"/> that passes every call to an inner generator: the base of decorators that
/// add one concern (caching, metering, resilience, fault injection) around any generator.</summary>
/// <remarks>Compose decorators with
/// <see cref="BeamSearchBuilder.UseImageGenerator(Func{IImageGenerator, IServiceProvider, IImageGenerator})"/>.</remarks>
public class DelegatingImageGenerator : IImageGenerator
{
    /// <summary>Initializes a new instance of the <see cref="DelegatingImageGenerator"/> class.</summary>
    /// <param name="innerGenerator">The generator every call is passed to.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerGenerator"/> is <see langword="null"/>.</exception>
    protected DelegatingImageGenerator(IImageGenerator innerGenerator)
    {
        ArgumentNullException.ThrowIfNull(innerGenerator);
        InnerGenerator = innerGenerator;
    }

    /// <summary>Gets the generator every call is passed to.</summary>
    protected IImageGenerator InnerGenerator { get; }

    /// <inheritdoc/>
    public virtual Task<GeneratedImage> GenerateAsync(string prompt, CancellationToken cancellationToken = default) =>
        InnerGenerator.GenerateAsync(prompt, cancellationToken);
}
