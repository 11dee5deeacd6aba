namespace StreamingBeam;

/// <summary>A preprocessor that computes a shared artifact of an extraction run (a depth map, a segmentation) on
/// first request; see <see cref="PreprocessorRegistration{T}"/>.</summary>
public abstract class PreprocessorRegistration
{
    private protected PreprocessorRegistration(string name) => Name = name;

    /// <summary>Gets the name of the artifact the preprocessor computes, unique within an engine.</summary>
    public string Name { get; }

    /// <summary>Gets the type of the artifact.</summary>
    public abstract Type ArtifactType { get; }

    /// <summary>Creates a registration for a preprocessor.</summary>
    /// <typeparam name="T">The artifact's type.</typeparam>
    /// <param name="key">The artifact's key; extractors ask for the artifact with it.</param>
    /// <param name="compute">Computes the artifact from the run's input.</param>
    /// <returns>The registration.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="compute"/> is <see langword="null"/>.</exception>
    public static PreprocessorRegistration<T> Create<T>(ArtifactKey<T> key, Func<ExtractionInput, CancellationToken, ValueTask<T>> compute) =>
        new(key, compute);
}
