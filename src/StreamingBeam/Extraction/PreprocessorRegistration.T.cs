namespace StreamingBeam;

/// <summary>A preprocessor that computes a shared artifact of type <typeparamref name="T"/> on first request.</summary>
/// <typeparam name="T">The artifact's type.</typeparam>
/// <remarks>
/// <para>
/// A run calls <see cref="Compute"/> at most once, the first time an extractor asks for the artifact with
/// <see cref="ExtractionContext.GetArtifactAsync{T}"/>; every other request of that run, concurrent or later, shares
/// the result. The computation gets the run's token (not the asking extractor's), so an extractor that gives up
/// waiting does not cancel it for the others; it is canceled and awaited when the run ends.
/// </para>
/// <para>
/// If the computation fails, every extractor that asks for the artifact gets an <see cref="InvalidOperationException"/>
/// naming it, with the preprocessor's error as the inner exception; extractors that do not ask are unaffected.
/// </para>
/// </remarks>
public sealed class PreprocessorRegistration<T> : PreprocessorRegistration
{
    /// <summary>Initializes a new instance of the <see cref="PreprocessorRegistration{T}"/> class.</summary>
    /// <param name="key">The artifact's key; extractors ask for the artifact with it.</param>
    /// <param name="compute">Computes the artifact from the run's input.</param>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="compute"/> is <see langword="null"/>.</exception>
    public PreprocessorRegistration(ArtifactKey<T> key, Func<ExtractionInput, CancellationToken, ValueTask<T>> compute)
        : base((key ?? throw new ArgumentNullException(nameof(key))).Name)
    {
        ArgumentNullException.ThrowIfNull(compute);
        Key = key;
        Compute = compute;
    }

    /// <summary>Gets the artifact's key.</summary>
    public ArtifactKey<T> Key { get; }

    /// <summary>Gets the function that computes the artifact from the run's input.</summary>
    public Func<ExtractionInput, CancellationToken, ValueTask<T>> Compute { get; }

    /// <inheritdoc/>
    public override Type ArtifactType => typeof(T);
}
