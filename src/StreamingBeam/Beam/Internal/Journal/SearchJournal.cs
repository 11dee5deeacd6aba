using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using StreamingBeam.Logging;

namespace StreamingBeam.Beam.Internal;

/// <summary>One search's checkpoint journal: the records its lanes and driver append, saved in order by one writer,
/// and the search's events, published by that writer once every record before them is saved.</summary>
/// <remarks>
/// <para>
/// <b>Off the lanes' path.</b> Appending only queues a record; the writer takes everything queued and saves it with one
/// <see cref="IBeamCheckpointStore.AppendAsync"/> (group commit), so a lane never waits for the store, and the cost of a
/// save is shared by whatever was queued while the previous one ran.
/// </para>
/// <para>
/// <b>Saved before reported.</b> Events go through the same queue, so an event is published only after every record
/// appended before it was saved: a consumer that sees a candidate's image, score or failure, or a ranking, knows that a
/// resume will not pay for it again.
/// </para>
/// <para>
/// <b>One writer.</b> Saves of one search never overlap and keep their order, so stores need not support concurrent
/// appends to one id. A save that fails is logged and ends saving for this search (its journal stays a consistent
/// prefix that a resume continues from); the search and its events go on.
/// </para>
/// </remarks>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "The writer owns the token source and disposes it when it ends, which may be after a canceled search gave up waiting for it.")]
internal sealed class SearchJournal
{
    /// <summary>The most records one save takes, so that a store that falls behind gets batches of bounded size.</summary>
    private const int MaxBatch = 256;

    private readonly IBeamCheckpointStore _store;
    private readonly HeaderRecord? _header;
    private readonly ChannelWriter<BeamEvent> _events;
    private readonly ILogger _logger;
    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    private readonly CancellationTokenSource _stop = new();
    private Task _writer = Task.CompletedTask;
    private bool _stopped;

    /// <summary>A journal that starts with <paramref name="header"/> (a new search, which replaces any journal under its
    /// id), or with <see langword="null"/> continues the journal already saved (a resumed search).</summary>
    public SearchJournal(IBeamCheckpointStore store, string checkpointId, HeaderRecord? header, ChannelWriter<BeamEvent> events, ILogger logger)
    {
        _store = store;
        CheckpointId = checkpointId;
        _header = header;
        _events = events;
        _logger = logger;
    }

    public string CheckpointId { get; }

    /// <summary>Starts the writer.</summary>
    public void Start() => _writer = Task.Run(WriteAsync);

    /// <summary>Queues a record; it is saved after every record queued before it.</summary>
    public void Append(JournalRecord record) => _queue.Writer.TryWrite(record);

    /// <summary>Queues an event; it is published once every record queued before it is saved (or saving has stopped).</summary>
    public void Publish(BeamEvent e) => _queue.Writer.TryWrite(e);

    /// <summary>Saves what is queued and publishes the last events. A canceled search waits for that at most
    /// <paramref name="grace"/>: then the store's token is canceled, and what was not saved yet is not.</summary>
    public async Task CompleteAsync(bool canceled, TimeSpan grace, TimeProvider time)
    {
        _queue.Writer.TryComplete();
        if (canceled && !_writer.IsCompleted)
        {
            using var stopDelay = new CancellationTokenSource();
            var first = await Task.WhenAny(_writer, Task.Delay(grace, time, stopDelay.Token)).ConfigureAwait(false);
            await stopDelay.CancelAsync().ConfigureAwait(false);
            if (first != _writer)
            {
                // The writer only saves and publishes: once its store call gives up, it ends by itself.
                BeamSearchLog.CheckpointAbandoned(_logger, CheckpointId, grace);
                CancelSaves();
                return;
            }
        }

        await _writer.ConfigureAwait(false);
    }

    private async Task WriteAsync()
    {
        try
        {
            await WriteCoreAsync(_stop.Token).ConfigureAwait(false);
        }
        finally
        {
            _stop.Dispose();
        }
    }

    private async Task WriteCoreAsync(CancellationToken token)
    {
        if (_header is not null)
        {
            var header = new List<ReadOnlyMemory<byte>>(1);
            Encode(_header, header);
            await SaveAsync(create: true, header, null, token).ConfigureAwait(false);
        }

        var reader = _queue.Reader;
        var batch = new List<ReadOnlyMemory<byte>>();
        var events = new List<BeamEvent>();
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            int? ranked = null;
            while (batch.Count < MaxBatch && reader.TryRead(out var item))
            {
                if (item is BeamEvent e)
                {
                    // Nothing unsaved before it: published now, not after the records that follow it.
                    if (batch.Count == 0)
                    {
                        _events.TryWrite(e);
                    }
                    else
                    {
                        events.Add(e);
                    }
                }
                else if (!_stopped)
                {
                    var record = (JournalRecord)item;
                    ranked = record is RankingRecord ranking ? ranking.Iteration : ranked;
                    Encode(record, batch);
                }
            }

            if (batch.Count > 0)
            {
                await SaveAsync(create: false, batch, ranked, token).ConfigureAwait(false);
                batch.Clear();
            }

            foreach (var e in events)
            {
                _events.TryWrite(e);
            }

            events.Clear();
        }
    }

    private void CancelSaves()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The writer ended meanwhile: nothing is left to cancel.
        }
    }

    private void Encode(JournalRecord record, List<ReadOnlyMemory<byte>> batch)
    {
        try
        {
            batch.Add(JournalCodec.Encode(record));
        }
#pragma warning disable CA1031 // Whatever a record's serialization throws ends saving, never the search or its events.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // Saving this record but not the ones after it would leave a gap: stop here, as for a failed save.
            Stop(ex);
            batch.Clear();
        }
    }

    private async Task SaveAsync(bool create, List<ReadOnlyMemory<byte>> batch, int? ranked, CancellationToken cancellationToken)
    {
        if (_stopped || batch.Count == 0)
        {
            return;
        }

        try
        {
            if (create)
            {
                await _store.CreateAsync(CheckpointId, batch[0], cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _store.AppendAsync(CheckpointId, batch, cancellationToken).ConfigureAwait(false);
            }

            if (ranked is { } iteration)
            {
                BeamSearchLog.CheckpointSaved(_logger, CheckpointId, iteration);
            }
        }
        catch (Exception ex)
        {
            // Losing the journal must not lose the search.
            Stop(ex);
        }
    }

    private void Stop(Exception exception)
    {
        _stopped = true;
        BeamSearchLog.CheckpointFailed(_logger, CheckpointId, exception);
    }
}
