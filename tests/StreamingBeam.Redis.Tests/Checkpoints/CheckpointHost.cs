using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using StreamingBeam.Testing;

namespace StreamingBeam.Redis.Tests.Checkpoints;

/// <summary>One host of an app: its own DI container, its own Redis connection, its own engine over deterministic
/// simulated providers (the same seed on every host), its images passing a <see cref="CallGate"/>, and checkpoints in
/// Redis through <c>AddRedisBeamCheckpointStore</c>.</summary>
internal sealed class CheckpointHost : IAsyncDisposable
{
    public const long Seed = 7;

    private readonly ServiceProvider _services;

    private CheckpointHost(ServiceProvider services, CallGate images)
    {
        _services = services;
        Images = images;
    }

    public IBeamSearchEngine Engine => _services.GetRequiredService<IBeamSearchEngine>();

    public IBeamCheckpointStore Store => _services.GetRequiredService<IBeamCheckpointStore>();

    public IConnectionMultiplexer Redis => _services.GetRequiredService<IConnectionMultiplexer>();

    /// <summary>Gets the gate every image call of this host passes: its keys are the prompts rendered.</summary>
    public CallGate Images { get; }

    /// <summary>Gets the image prompts this host rendered: calls that entered the gate and were not canceled.</summary>
    public IReadOnlyList<string> Rendered => Images.Started.Except(Images.Canceled).ToArray();

    public static async Task<CheckpointHost> StartAsync(Task<ConnectionMultiplexer> connect, string keyPrefix, Func<string, bool>? releaseImage = null)
    {
        var connection = await connect;
        var providers = SimulatedProviders.Create(Seed, SimulatedProvidersOptions.Instant());
        var images = new CallGate(releaseImage ?? (_ => true));
        var services = new ServiceCollection()
            .AddSingleton<ILlmClient>(providers.Llm)
            .AddSingleton<IImageGenerator>(new GatingImageGenerator(providers.ImageGenerator, images))
            .AddSingleton<IVisionScorer>(providers.VisionScorer)
            .AddSingleton<IConnectionMultiplexer>(connection) // disposed with the container, as a host's would be
            .AddRedisBeamCheckpointStore(o => o.KeyPrefix = keyPrefix);
        services.AddStreamingBeam();
        return new CheckpointHost(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }), images);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
