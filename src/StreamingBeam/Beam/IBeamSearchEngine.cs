namespace StreamingBeam;

/// <summary>Runs streaming beam searches that improve text-to-image prompts.</summary>
/// <remarks>Implementations are thread-safe: any number of searches may run at once on one engine.</remarks>
public interface IBeamSearchEngine
{
    /// <summary>Runs a beam search and streams what happens as it happens.</summary>
    /// <param name="prompt">The user's prompt.</param>
    /// <param name="options">The search's options, or <see langword="null"/> for the engine's defaults.</param>
    /// <param name="cancellationToken">Cancels the search and every provider call in flight.</param>
    /// <returns>The search's events, ending with <see cref="SearchCompletedEvent"/>.</returns>
    IAsyncEnumerable<BeamEvent> SearchStreamingAsync(string prompt, BeamSearchOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Runs a beam search to the end and returns only its outcome.</summary>
    /// <param name="prompt">The user's prompt.</param>
    /// <param name="options">The search's options, or <see langword="null"/> for the engine's defaults.</param>
    /// <param name="cancellationToken">Cancels the search and every provider call in flight.</param>
    /// <returns>The search's outcome.</returns>
    Task<BeamSearchResult> SearchAsync(string prompt, BeamSearchOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Continues a search from the last checkpoint saved under an id, and streams what happens from there.</summary>
    /// <param name="checkpointId">The search's <see cref="BeamSearchOptions.CheckpointId"/>.</param>
    /// <param name="cancellationToken">Cancels the search and every provider call in flight.</param>
    /// <returns>The search's events from the iteration after the checkpoint, starting with a
    /// <see cref="SearchStartedEvent"/> whose <see cref="SearchStartedEvent.ResumedFrom"/> is the checkpoint and ending
    /// with <see cref="SearchCompletedEvent"/>.</returns>
    IAsyncEnumerable<BeamEvent> ResumeStreamingAsync(string checkpointId, CancellationToken cancellationToken = default);

    /// <summary>Continues a search from the last checkpoint saved under an id, to the end, and returns its outcome.</summary>
    /// <param name="checkpointId">The search's <see cref="BeamSearchOptions.CheckpointId"/>.</param>
    /// <param name="cancellationToken">Cancels the search and every provider call in flight.</param>
    /// <returns>The search's outcome, the same as if it had never been interrupted (with deterministic providers).</returns>
    Task<BeamSearchResult> ResumeAsync(string checkpointId, CancellationToken cancellationToken = default);
}
