using System.Diagnostics.CodeAnalysis;

namespace StreamingBeam;

/// <summary>Keeps the last checkpoint of each beam search, so that an interrupted search can be resumed with
/// <see cref="IBeamSearchEngine.ResumeStreamingAsync"/> instead of paying again for what it already did.</summary>
/// <remarks>
/// A search with <see cref="BeamSearchOptions.CheckpointId"/> saves a checkpoint after every ranking, before it publishes
/// that ranking's <see cref="IterationCompletedEvent"/>; each save replaces the previous one of the same id. Saves of one
/// search never overlap. Implementations must be thread-safe: searches with different ids save concurrently.
/// </remarks>
public interface IBeamCheckpointStore
{
    /// <summary>Saves a checkpoint, replacing any earlier one with the same <see cref="BeamCheckpoint.CheckpointId"/>.</summary>
    /// <param name="checkpoint">The checkpoint.</param>
    /// <param name="cancellationToken">Cancels the save.</param>
    /// <returns>A task that completes when the checkpoint is stored.</returns>
    ValueTask SaveAsync(BeamCheckpoint checkpoint, CancellationToken cancellationToken = default);

    /// <summary>Loads the last checkpoint saved under an id.</summary>
    /// <param name="checkpointId">The id.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The checkpoint, or <see langword="null"/> when none was saved under <paramref name="checkpointId"/>.</returns>
    /// <exception cref="BeamCheckpointException">A checkpoint exists but cannot be read (corrupt, or written in an
    /// incompatible format). Stores never answer <see langword="null"/> for a checkpoint they cannot read.</exception>
    ValueTask<BeamCheckpoint?> LoadAsync(string checkpointId, CancellationToken cancellationToken = default);

    /// <summary>Says whether the store can save and load a checkpoint under an id, and if not, why.</summary>
    /// <param name="checkpointId">The id, for example <see cref="BeamSearchOptions.CheckpointId"/>.</param>
    /// <param name="reason">When the id cannot be used, which ids the store accepts and what is wrong with this one.</param>
    /// <returns><see langword="true"/> when the store can use <paramref name="checkpointId"/>.</returns>
    /// <remarks>
    /// The engine asks before a search starts, so that an id the store cannot use fails the call instead of every
    /// save of a search that then cannot be resumed. The default accepts any id that is not null, empty or white
    /// space; a store with narrower rules (file names, keys of a database) overrides it, and its
    /// <see cref="SaveAsync"/> and <see cref="LoadAsync"/> must accept every id it accepts here.
    /// </remarks>
    bool IsValidCheckpointId(string checkpointId, [NotNullWhen(false)] out string? reason)
    {
        reason = string.IsNullOrWhiteSpace(checkpointId) ? "a checkpoint id must not be null, empty or white space" : null;
        return reason is null;
    }
}
