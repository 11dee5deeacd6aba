using StackExchange.Redis;
using StreamingBeam;
using StreamingBeam.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="RedisBeamCheckpointStore"/> as the app's <see cref="IBeamCheckpointStore"/>.</summary>
public static class RedisBeamCheckpointStoreServiceCollectionExtensions
{
    /// <summary>Registers a <see cref="RedisBeamCheckpointStore"/> over the container's <see cref="IConnectionMultiplexer"/>
    /// as the <see cref="IBeamCheckpointStore"/> that <c>AddStreamingBeam</c> uses.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Changes the store's settings, or <see langword="null"/> for the defaults.</param>
    /// <returns><paramref name="services"/>, so that calls chain.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The settings are invalid; the message lists every broken rule.</exception>
    /// <remarks>Register the connection too, once per app: for example
    /// <c>services.AddSingleton&lt;IConnectionMultiplexer&gt;(_ =&gt; ConnectionMultiplexer.Connect("localhost"))</c>.</remarks>
    public static IServiceCollection AddRedisBeamCheckpointStore(
        this IServiceCollection services, Action<RedisBeamCheckpointStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new RedisBeamCheckpointStoreOptions();
        configure?.Invoke(options);
        options.Validate();
        services.AddSingleton<IBeamCheckpointStore>(sp => new RedisBeamCheckpointStore(sp.GetRequiredService<IConnectionMultiplexer>(), options));
        return services;
    }
}
