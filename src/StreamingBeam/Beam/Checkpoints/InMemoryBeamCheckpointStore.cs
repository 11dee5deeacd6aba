using System.Collections.Concurrent;

namespace StreamingBeam;

/// <summary>Keeps checkpoints in memory: resumes a search within the same process (after a cancellation, a crash of
/// the consumer, or a deliberate pause). For checkpoints that survive the process, use
/// <see cref="FileBeamCheckpointStore"/>.</summary>
public sealed class InMemoryBeamCheckpointStore : IBeamCheckpointStore
{
    private readonly ConcurrentDictionary<string, BeamCheckpoint> _checkpoints = new(StringComparer.Ordinal);

    /// <summary>Gets the ids of the checkpoints held.</summary>
    public IReadOnlyCollection<string> CheckpointIds => _checkpoints.Keys.ToArray();

    /// <inheritdoc/>
    public ValueTask SaveAsync(BeamCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        cancellationToken.ThrowIfCancellationRequested();
        _checkpoints[checkpoint.CheckpointId] = checkpoint;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<BeamCheckpoint?> LoadAsync(string checkpointId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(checkpointId);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_checkpoints.TryGetValue(checkpointId, out var checkpoint) ? checkpoint : null);
    }

    /// <summary>Removes a checkpoint.</summary>
    /// <param name="checkpointId">The id.</param>
    /// <returns><see langword="true"/> when a checkpoint was removed.</returns>
    public bool Remove(string checkpointId) => _checkpoints.TryRemove(checkpointId, out _);
}
