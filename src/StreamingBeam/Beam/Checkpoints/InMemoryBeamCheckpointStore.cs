using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace StreamingBeam;

/// <summary>Keeps checkpoint journals in memory: resumes a search within the same process (after a cancellation, a crash
/// of the consumer, or a deliberate pause). For journals that survive the process, use
/// <see cref="FileBeamCheckpointStore"/>; for journals shared by hosts, the StreamingBeam.Redis package.</summary>
/// <remarks>Accepts any id of 1 to <see cref="MaxCheckpointIdLength"/> characters that is not white space alone.
/// Records are held as appended, not copied (the engine never changes them).</remarks>
public sealed class InMemoryBeamCheckpointStore : IBeamCheckpointStore
{
    /// <summary>The longest checkpoint id the store accepts, so that a mistaken id (a whole prompt, a document) is
    /// rejected rather than kept as a key.</summary>
    public const int MaxCheckpointIdLength = 1024;

    private readonly ConcurrentDictionary<string, List<ReadOnlyMemory<byte>>> _journals = new(StringComparer.Ordinal);

    /// <summary>Gets the ids of the journals held.</summary>
    public IReadOnlyCollection<string> CheckpointIds => _journals.Keys.ToArray();

    /// <inheritdoc/>
    public ValueTask CreateAsync(string checkpointId, ReadOnlyMemory<byte> firstRecord, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpointId);
        ThrowIfInvalid(checkpointId, nameof(checkpointId));
        cancellationToken.ThrowIfCancellationRequested();
        _journals[checkpointId] = [firstRecord];
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask AppendAsync(string checkpointId, IReadOnlyList<ReadOnlyMemory<byte>> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpointId);
        ArgumentNullException.ThrowIfNull(records);
        ThrowIfInvalid(checkpointId, nameof(checkpointId));
        cancellationToken.ThrowIfCancellationRequested();
        if (!_journals.TryGetValue(checkpointId, out var journal))
        {
            throw new BeamCheckpointException($"No checkpoint journal is held under '{checkpointId}' to append to (never created, or removed).");
        }

        lock (journal)
        {
            journal.AddRange(records);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ReadOnlyMemory<byte>>?> LoadAsync(string checkpointId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpointId);
        ThrowIfInvalid(checkpointId, nameof(checkpointId));
        cancellationToken.ThrowIfCancellationRequested();
        if (!_journals.TryGetValue(checkpointId, out var journal))
        {
            return ValueTask.FromResult<IReadOnlyList<ReadOnlyMemory<byte>>?>(null);
        }

        lock (journal)
        {
            return ValueTask.FromResult<IReadOnlyList<ReadOnlyMemory<byte>>?>(journal.ToArray());
        }
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

    /// <summary>Removes a journal.</summary>
    /// <param name="checkpointId">The id.</param>
    /// <returns><see langword="true"/> when a journal was removed.</returns>
    public bool Remove(string checkpointId) => _journals.TryRemove(checkpointId, out _);
}
