using System.Globalization;

namespace StreamingBeam.Redis;

/// <summary>Settings of <see cref="RedisBeamCheckpointStore"/>.</summary>
public sealed class RedisBeamCheckpointStoreOptions
{
    /// <summary>The longest expiry the store accepts: what Redis's <c>PEXPIRE</c> takes comfortably (about 292 years is
    /// its limit; a journal has no use for more than this).</summary>
    public static readonly TimeSpan MaxExpiry = TimeSpan.FromDays(3650);

    /// <summary>Gets or sets what every journal's key starts with: the key of the journal of <c>id</c> is
    /// <c>{KeyPrefix}{id}</c>.</summary>
    /// <value>The default value is <c>streamingbeam:checkpoint:</c>.</value>
    public string KeyPrefix { get; set; } = "streamingbeam:checkpoint:";

    /// <summary>Gets or sets how long a journal is kept after its last save, or <see langword="null"/> to keep journals
    /// until they are deleted. Each save starts the time again, so a running search's journal never expires.</summary>
    /// <value>The default value is 7 days: a journal holds every image of its search, and Redis keeps all of it in memory.</value>
    public TimeSpan? Expiry { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Gets or sets the Redis database to use, or -1 for the connection's default.</summary>
    /// <value>The default value is -1.</value>
    public int Database { get; set; } = -1;

    /// <summary>Throws when a setting is out of range, naming every one.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message lists every broken rule.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (KeyPrefix is null)
        {
            errors.Add("RedisBeamCheckpointStoreOptions.KeyPrefix must be a string (it may be empty); it was null.");
        }

        if (Expiry is { } expiry && (expiry <= TimeSpan.Zero || expiry > MaxExpiry))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture,
                $"RedisBeamCheckpointStoreOptions.Expiry must be null or between 1 ms and {MaxExpiry.TotalDays} days; it was {expiry}."));
        }

        if (Database < -1)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"RedisBeamCheckpointStoreOptions.Database must be -1 or more; it was {Database}."));
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors));
        }
    }
}
