using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace StreamingBeam;

/// <summary>Keeps checkpoints in memory: resumes a search within the same process (after a cancellation, a crash of
/// the consumer, or a deliberate pause). For checkpoints that survive the process, use
/// <see cref="FileBeamCheckpointStore"/>.</summary>
/// <remarks>Accepts any id of 1 to <see cref="MaxCheckpointIdLength"/> characters that is not white space alone.
/// Checkpoints are held as saved, not copied.</remarks>
public sealed class InMemoryBeamCheckpointStore : IBeamCheckpointStore
{
    /// <summary>The longest checkpoint id the store accepts, so that a mistaken id (a whole prompt, a document) is
    /// rejected rather than kept as a key.</summary>
    public const int MaxCheckpointIdLength = 1024;

    private readonly ConcurrentDictionary<string, BeamCheckpoint> _checkpoints = new(StringComparer.Ordinal);

    /// <summary>Gets the ids of the checkpoints held.</summary>
    public IReadOnlyCollection<string> CheckpointIds => _checkpoints.Keys.ToArray();

    /// <inheritdoc/>
    public ValueTask SaveAsync(BeamCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ThrowIfInvalid(checkpoint.CheckpointId, nameof(checkpoint));
        cancellationToken.ThrowIfCancellationRequested();
        _checkpoints[checkpoint.CheckpointId] = checkpoint;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<BeamCheckpoint?> LoadAsync(string checkpointId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpointId);
        ThrowIfInvalid(checkpointId, nameof(checkpointId));
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_checkpoints.TryGetValue(checkpointId, out var checkpoint) ? checkpoint : null);
    }

    /// <inheritdoc/>
    /// <remarks>Accepts 1 to <see cref="MaxCheckpointIdLength"/> characters, not all white space.</remarks>
    public bool IsValidCheckpointId(string checkpointId, [NotNullWhen(false)] out string? reason)
    {
        if (!string.IsNullOrWhiteSpace(checkpointId) && checkpointId.Length <= MaxCheckpointIdLength)
        {
            reason = null;
            return true;
        }

        var accepted = string.Create(CultureInfo.InvariantCulture, $"the in-memory store accepts 1 to {MaxCheckpointIdLength} characters, not all white space");
        reason = string.IsNullOrWhiteSpace(checkpointId)
            ? accepted + "; the id is empty or white space"
            : string.Create(CultureInfo.InvariantCulture, $"{accepted}; the id has {checkpointId.Length} characters");
        return false;
    }

    private void ThrowIfInvalid(string checkpointId, string paramName)
    {
        if (!IsValidCheckpointId(checkpointId, out var reason))
        {
            throw new ArgumentException($"The checkpoint id cannot be used: {reason}.", paramName);
        }
    }

    /// <summary>Removes a checkpoint.</summary>
    /// <param name="checkpointId">The id.</param>
    /// <returns><see langword="true"/> when a checkpoint was removed.</returns>
    public bool Remove(string checkpointId) => _checkpoints.TryRemove(checkpointId, out _);
}
