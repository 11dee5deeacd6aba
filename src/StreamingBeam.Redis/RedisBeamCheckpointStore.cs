using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using StackExchange.Redis;

namespace StreamingBeam.Redis;

/// <summary>Keeps each search's checkpoint journal in Redis, as a list under <c>{KeyPrefix}{checkpointId}</c>, so that
/// every host of an app can resume a search that another started.</summary>
/// <remarks>
/// <para>
/// <b>Why a list, through StackExchange.Redis.</b> A journal only grows: creating one is <c>DEL</c> and <c>RPUSH</c> in
/// one transaction, a save is one <c>RPUSHX</c> of the new records (appended only if the journal still exists, in one
/// atomic command, however many records) and refreshes the expiry, and a load is one <c>LRANGE</c>. A save never reads
/// or rewrites what is already stored, so it costs the same whatever the journal's length, and an image is sent once.
/// <c>IDistributedCache</c> (Microsoft.Extensions.Caching.StackExchangeRedis) has only get and set of whole values: each
/// save would read and rewrite the whole journal, images included.
/// </para>
/// <para>
/// <b>Hosts.</b> The store is thread-safe and meant to be shared (a singleton); searches with different ids save
/// concurrently, and two searches must not use one id at the same time. Expiry (<see cref="RedisBeamCheckpointStoreOptions.Expiry"/>,
/// 7 days by default) is refreshed by every save. A journal that expired or was deleted while its search ran makes the
/// next save fail, which ends saving for that search (the engine logs it); it is never silently recreated without its
/// header.
/// </para>
/// <para>
/// <b>Failures.</b> Connection errors and timeouts are StackExchange.Redis's exceptions (the engine logs them and the
/// search goes on). A key that holds something other than a list is <see cref="BeamCheckpointException"/> on load;
/// records that are not a journal's are rejected when the engine reads them, also as <see cref="BeamCheckpointException"/>.
/// Cancellation stops waiting for a command; a command already sent may still complete.
/// </para>
/// </remarks>
public sealed class RedisBeamCheckpointStore : IBeamCheckpointStore
{
    /// <summary>The longest checkpoint id the store accepts, so that a mistaken id (a whole prompt, a document) is
    /// rejected rather than made a key.</summary>
    public const int MaxCheckpointIdLength = 1024;

    private readonly IConnectionMultiplexer _connection;
    private readonly RedisBeamCheckpointStoreOptions _options;

    /// <summary>Initializes a new instance of the <see cref="RedisBeamCheckpointStore"/> class.</summary>
    /// <param name="connection">The connection to Redis; the store does not dispose it.</param>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults. They are copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid; the message lists every broken rule.</exception>
    public RedisBeamCheckpointStore(IConnectionMultiplexer connection, RedisBeamCheckpointStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        options ??= new RedisBeamCheckpointStoreOptions();
        options.Validate();
        _connection = connection;
        _options = new RedisBeamCheckpointStoreOptions { KeyPrefix = options.KeyPrefix, Expiry = options.Expiry, Database = options.Database };
    }

    /// <summary>Gets the key of the journal of a checkpoint id.</summary>
    /// <param name="checkpointId">The id: see <see cref="IsValidCheckpointId"/>.</param>
    /// <returns><c>{KeyPrefix}{checkpointId}</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="checkpointId"/> cannot be used.</exception>
    public RedisKey KeyOf(string checkpointId)
    {
        if (!IsValidCheckpointId(checkpointId, out var reason))
        {
            throw new ArgumentException($"The checkpoint id cannot be used: {reason}.", nameof(checkpointId));
        }

        return new RedisKey(_options.KeyPrefix + checkpointId);
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

        var accepted = string.Create(CultureInfo.InvariantCulture, $"the Redis store accepts 1 to {MaxCheckpointIdLength} characters, not all white space");
        reason = string.IsNullOrWhiteSpace(checkpointId)
            ? accepted + "; the id is empty or white space"
            : string.Create(CultureInfo.InvariantCulture, $"{accepted}; the id has {checkpointId.Length} characters");
        return false;
    }

    /// <inheritdoc/>
    public async ValueTask CreateAsync(string checkpointId, ReadOnlyMemory<byte> firstRecord, CancellationToken cancellationToken = default)
    {
        var key = KeyOf(checkpointId);
        var transaction = Database.CreateTransaction();
        var delete = transaction.KeyDeleteAsync(key);
        var push = transaction.ListRightPushAsync(key, firstRecord);
        var expire = _options.Expiry is { } expiry ? transaction.KeyExpireAsync(key, expiry) : Task.FromResult(true);
        await transaction.ExecuteAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(delete, push, expire).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask AppendAsync(string checkpointId, IReadOnlyList<ReadOnlyMemory<byte>> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var key = KeyOf(checkpointId);
        if (records.Count == 0)
        {
            return;
        }

        var values = new RedisValue[records.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = records[i];
        }

        // RPUSHX appends only to a journal that exists: an expired or deleted one is never recreated without its header.
        var length = await Database.ListRightPushAsync(key, values, When.Exists).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (length == 0)
        {
            throw new BeamCheckpointException(
                $"No checkpoint journal is stored under '{checkpointId}' (Redis key '{key}') to append to: it was never created, was deleted, or expired.");
        }

        if (_options.Expiry is { } expiry)
        {
            await Database.KeyExpireAsync(key, expiry).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<ReadOnlyMemory<byte>>?> LoadAsync(string checkpointId, CancellationToken cancellationToken = default)
    {
        var key = KeyOf(checkpointId);
        RedisValue[] values;
        try
        {
            values = await Database.ListRangeAsync(key).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("WRONGTYPE", StringComparison.Ordinal))
        {
            throw new BeamCheckpointException(
                $"The Redis key '{key}' of the checkpoint '{checkpointId}' does not hold a checkpoint journal (a list): {ex.Message}", ex);
        }

        // Redis has no empty lists: no values is no journal.
        if (values.Length == 0)
        {
            return null;
        }

        var records = new ReadOnlyMemory<byte>[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            records[i] = (byte[]?)values[i] ?? [];
        }

        return records;
    }

    /// <summary>Deletes the journal saved under an id.</summary>
    /// <param name="checkpointId">The id.</param>
    /// <param name="cancellationToken">Stops waiting for the command.</param>
    /// <returns><see langword="true"/> when a journal was deleted.</returns>
    public async ValueTask<bool> DeleteAsync(string checkpointId, CancellationToken cancellationToken = default) =>
        await Database.KeyDeleteAsync(KeyOf(checkpointId)).WaitAsync(cancellationToken).ConfigureAwait(false);

    private IDatabase Database => _connection.GetDatabase(_options.Database);
}
