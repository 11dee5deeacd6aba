namespace StreamingBeam;

/// <summary>Runs many extractors over one input at once and streams each result the moment that extractor completes.</summary>
/// <remarks>Implemented by <see cref="ExtractionEngine"/>, which documents the ordering, completion and cancellation
/// guarantees. Dependency injection registers both this interface and the engine
/// (<see cref="Microsoft.Extensions.DependencyInjection.ExtractionServiceCollectionExtensions.AddAtomicExtraction"/>).</remarks>
public interface IExtractionEngine
{
    /// <summary>Gets the names of the registered extractors, in registration order.</summary>
    IReadOnlyList<string> ExtractorNames { get; }

    /// <summary>Runs every extractor over <paramref name="input"/> and streams one update per extractor, in completion order.</summary>
    /// <param name="input">The input every extractor analyses.</param>
    /// <param name="options">This run's options, or <see langword="null"/> for the engine's defaults.</param>
    /// <param name="cancellationToken">Cancels the run: every call in flight is canceled and the stream ends with
    /// <see cref="OperationCanceledException"/>.</param>
    /// <returns>The updates. The run starts when enumeration starts; each enumeration is a new run.</returns>
    IAsyncEnumerable<ExtractionUpdate> ExtractStreamingAsync(ExtractionInput input, ExtractionRunOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Runs every extractor over <paramref name="input"/> and streams the updates in the batches the run delivers
    /// them (one update, a tier, or a coalesced batch).</summary>
    /// <param name="input">The input every extractor analyses.</param>
    /// <param name="options">This run's options, or <see langword="null"/> for the engine's defaults.</param>
    /// <param name="cancellationToken">Cancels the run: every call in flight is canceled and the stream ends with
    /// <see cref="OperationCanceledException"/>.</param>
    /// <returns>The batches, never empty. The run starts when enumeration starts; each enumeration is a new run.</returns>
    IAsyncEnumerable<IReadOnlyList<ExtractionUpdate>> ExtractBatchesStreamingAsync(
        ExtractionInput input, ExtractionRunOptions? options = null, CancellationToken cancellationToken = default);
}
