using StreamingBeam.Beam.Internal;

namespace StreamingBeam;

/// <summary>Reads a store's checkpoint journals as <see cref="BeamCheckpoint"/>s.</summary>
public static class BeamCheckpointStoreExtensions
{
    /// <summary>Loads the journal saved under an id and reads it as the checkpoint a resume would continue from.</summary>
    /// <param name="store">The store.</param>
    /// <param name="checkpointId">The id.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The checkpoint, or <see langword="null"/> when nothing is saved under <paramref name="checkpointId"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> or <paramref name="checkpointId"/> is <see langword="null"/>.</exception>
    /// <exception cref="BeamCheckpointException">The journal cannot be read or resumed; the message names the record or
    /// every broken field. The same check runs on every resume.</exception>
    public static async ValueTask<BeamCheckpoint?> LoadCheckpointAsync(
        this IBeamCheckpointStore store, string checkpointId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(checkpointId);
        var records = await store.LoadAsync(checkpointId, cancellationToken).ConfigureAwait(false);
        return records is null ? null : JournalReader.Read(checkpointId, records).Checkpoint;
    }
}
