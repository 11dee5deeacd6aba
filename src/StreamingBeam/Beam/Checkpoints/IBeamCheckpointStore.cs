using System.Diagnostics.CodeAnalysis;

namespace StreamingBeam;

/// <summary>Keeps the checkpoint journal of each beam search: an append-only list of records per checkpoint id, so that
/// an interrupted search can be resumed with <see cref="IBeamSearchEngine.ResumeStreamingAsync"/> instead of paying again
/// for what it already did.</summary>
/// <remarks>
/// <para>
/// <b>What is saved when.</b> A search with <see cref="BeamSearchOptions.CheckpointId"/> creates its journal when it
/// starts (<see cref="CreateAsync"/>, with a header: prompt, options, format version), then appends a record for the
/// outcome of every provider call the moment it returns (an expansion, a critique, a refinement, a combined prompt, an
/// image, a score, or the failure of any of them) and one for every ranking (<see cref="AppendAsync"/>). A record is
/// written once and never rewritten; an image is stored once, in the record of the call that rendered it. Every event
/// of the search is published after the records before it are saved.
/// </para>
/// <para>
/// <b>Records are opaque to stores.</b> Each is one line of UTF-8 JSON (never empty, never containing a line feed, which
/// stores may rely on for framing) that the engine reads back and checks itself. A store keeps them in order and returns
/// them as they were appended.
/// </para>
/// <para>
/// <b>Ordering and concurrency.</b> The calls for one id are never made concurrently: a search saves through one writer,
/// in order, and the next call waits for the previous one. Implementations must be thread-safe across ids: searches with
/// different ids save concurrently. Two searches must not use one id at the same time (resuming a search that still
/// runs elsewhere is not supported).
/// </para>
/// <para>
/// <b>Failures.</b> A store that throws is logged by the engine, which stops saving that search (its journal stays a
/// consistent prefix a resume continues from) and goes on; stores retry transient faults themselves if they wish.
/// </para>
/// </remarks>
public interface IBeamCheckpointStore
{
    /// <summary>Starts the journal of a search with its first record, replacing any journal saved under the id.</summary>
    /// <param name="checkpointId">The id: see <see cref="IsValidCheckpointId"/>.</param>
    /// <param name="firstRecord">The journal's first record (its header). The store may keep the memory as given: the
    /// engine never changes it.</param>
    /// <param name="cancellationToken">Cancels the save.</param>
    /// <returns>A task that completes when the journal holds exactly <paramref name="firstRecord"/>.</returns>
    ValueTask CreateAsync(string checkpointId, ReadOnlyMemory<byte> firstRecord, CancellationToken cancellationToken = default);

    /// <summary>Appends records, in order, to the journal of a search.</summary>
    /// <param name="checkpointId">The id of a journal started with <see cref="CreateAsync"/>.</param>
    /// <param name="records">The records, in order. The store may keep their memory as given: the engine never changes it.</param>
    /// <param name="cancellationToken">Cancels the save.</param>
    /// <returns>A task that completes when the records are stored after every record appended before them.</returns>
    /// <exception cref="BeamCheckpointException">No journal is saved under <paramref name="checkpointId"/> (never
    /// created, deleted, or expired).</exception>
    ValueTask AppendAsync(string checkpointId, IReadOnlyList<ReadOnlyMemory<byte>> records, CancellationToken cancellationToken = default);

    /// <summary>Loads the journal saved under an id: every record, in the order appended.</summary>
    /// <param name="checkpointId">The id.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The records, or <see langword="null"/> when no journal is saved under <paramref name="checkpointId"/>.</returns>
    /// <exception cref="BeamCheckpointException">A journal exists but cannot be read (corrupt framing, or written in a
    /// format this version does not read). A record cut short by a crash while it was being appended is not returned;
    /// the next <see cref="AppendAsync"/> replaces it. Stores never answer <see langword="null"/> for a journal they cannot
    /// read.</exception>
    /// <remarks>Read a journal as a checkpoint with <see cref="BeamCheckpointStoreExtensions.LoadCheckpointAsync"/>.</remarks>
    ValueTask<IReadOnlyList<ReadOnlyMemory<byte>>?> LoadAsync(string checkpointId, CancellationToken cancellationToken = default);

    /// <summary>Says whether the store can save and load a checkpoint under an id, and if not, why.</summary>
    /// <param name="checkpointId">The id, for example <see cref="BeamSearchOptions.CheckpointId"/>.</param>
    /// <param name="reason">When the id cannot be used, which ids the store accepts and what is wrong with this one.</param>
    /// <returns><see langword="true"/> when the store can use <paramref name="checkpointId"/>.</returns>
    /// <remarks>
    /// The engine asks before a search starts, so that an id the store cannot use fails the call instead of every
    /// save of a search that then cannot be resumed. The default accepts any id that is not null, empty or white
    /// space; a store with narrower rules (file names, keys of a database) overrides it, and its other methods must
    /// accept every id it accepts here.
    /// </remarks>
    bool IsValidCheckpointId(string checkpointId, [NotNullWhen(false)] out string? reason)
    {
        reason = string.IsNullOrWhiteSpace(checkpointId) ? "a checkpoint id must not be null, empty or white space" : null;
        return reason is null;
    }
}
