using System.Text.Json.Nodes;

namespace StreamingBeam;

/// <summary>What an extraction run gives one extractor: the input, shared artifacts, its dependencies' results,
/// and a way to publish a provisional result early.</summary>
/// <remarks>
/// The run creates one context per extractor call. Test code can derive from this class to call an
/// <see cref="IExtractor"/> outside a run.
/// </remarks>
public abstract class ExtractionContext
{
    /// <summary>Gets the input every extractor of the run analyses.</summary>
    public abstract ExtractionInput Input { get; }

    /// <summary>Gets a shared artifact, computing it on first request. Each artifact is computed at most once per run,
    /// even when several extractors ask for it at the same moment.</summary>
    /// <typeparam name="T">The artifact's type.</typeparam>
    /// <param name="key">The artifact's key, as registered with its preprocessor.</param>
    /// <param name="cancellationToken">Stops this caller's wait; the shared computation goes on for the others.</param>
    /// <returns>The artifact.</returns>
    /// <exception cref="KeyNotFoundException">No preprocessor is registered for <paramref name="key"/>.</exception>
    public abstract ValueTask<T> GetArtifactAsync<T>(ArtifactKey<T> key, CancellationToken cancellationToken = default);

    /// <summary>Gets the tokens of an extractor this one depends on, or <see langword="null"/> when that extractor
    /// produced none (it was not a declared dependency, or it did not succeed).</summary>
    /// <param name="extractorName">The dependency's name.</param>
    /// <returns>The dependency's tokens, or <see langword="null"/>.</returns>
    public abstract JsonObject? GetDependencyResult(string extractorName);

    /// <summary>Publishes a quick, provisional result before the final one. The run delivers it at once, marked
    /// provisional; it does not count toward completion.</summary>
    /// <param name="tokens">The provisional tokens. The run takes ownership: do not change the object afterwards.</param>
    public abstract void PublishProvisional(JsonObject tokens);
}
