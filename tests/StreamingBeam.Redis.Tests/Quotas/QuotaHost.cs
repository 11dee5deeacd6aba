using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using RedisRateLimiting;
using StackExchange.Redis;
using StreamingBeam.Testing;

namespace StreamingBeam.Redis.Tests.Quotas;

/// <summary>One host of an app: its own DI container, its own Redis connection and its own simulated providers, wired as
/// docs/redis.md shows (a keyed singleton limiter from RedisRateLimiting, set as the engine's ImageRateLimiter).</summary>
internal sealed class QuotaHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private QuotaHost(string name, ServiceProvider services)
    {
        Name = name;
        _services = services;
    }

    public string Name { get; }

    public IBeamSearchEngine Engine => _services.GetRequiredService<IBeamSearchEngine>();

    public IConnectionMultiplexer Redis => _services.GetRequiredService<IConnectionMultiplexer>();

    public static async Task<QuotaHost> StartAsync(string name, Task<ConnectionMultiplexer> connect, string quotaKey, QuotaHostOptions quota, ImageCallLog log)
    {
        var connection = await connect;
        var providers = SimulatedProviders.Create(seed: StableSeed(name), SimulatedProvidersOptions.Instant());
        var services = new ServiceCollection();
        if (quota.Time is { } time)
        {
            services.AddSingleton(time);
        }

        services
            .AddSingleton<ILlmClient>(providers.Llm)
            .AddSingleton<IImageGenerator>(providers.ImageGenerator)
            .AddSingleton<IVisionScorer>(providers.VisionScorer)
            .AddSingleton<IConnectionMultiplexer>(connection) // disposed with the container, as a host's would be
            .AddKeyedSingleton<RateLimiter>("images", (sp, _) =>
            {
                var limiter = new RedisFixedWindowRateLimiter<string>(
                    quotaKey,
                    new RedisFixedWindowRateLimiterOptions
                    {
                        ConnectionMultiplexerFactory = sp.GetRequiredService<IConnectionMultiplexer>,
                        PermitLimit = quota.PermitLimit,
                        Window = quota.Window,
                    });
                return quota.WaitForNextWindow ? new RedisRetryAfterLimiter(limiter) : limiter;
            });
        services.AddStreamingBeam()
            .UseImageGenerator(inner => new RecordingImageGenerator(inner, log, name))
            .Options.Configure<IServiceProvider>((options, sp) => options.ImageRateLimiter = sp.GetRequiredKeyedService<RateLimiter>("images"));
        return new QuotaHost(name, services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
    }

    /// <summary>Runs one search to its end and returns its candidates' outcomes; a search in which no candidate got an
    /// image ends with <see cref="BeamSearchException"/>, which is an outcome here too.</summary>
    public async Task<SearchOutcome> SearchAsync(string prompt, BeamSearchOptions options)
    {
        var scored = 0;
        var failed = new List<CandidateFailedEvent>();
        try
        {
            await foreach (var e in Engine.SearchStreamingAsync(prompt, options))
            {
                switch (e)
                {
                    case CandidateScoredEvent:
                        scored++;
                        break;
                    case CandidateFailedEvent f:
                        failed.Add(f);
                        break;
                }
            }
        }
        catch (BeamSearchException)
        {
            // Every candidate failed: their events came before it.
        }

        return new SearchOutcome(Name, scored, failed);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private static long StableSeed(string name) => name.Aggregate(17L, (hash, c) => (hash * 31) + c);
}

/// <param name="PermitLimit">Images per window, for every host of the key together.</param>
/// <param name="Window">The quota's window.</param>
/// <param name="WaitForNextWindow">Wraps the limiter in docs/redis.md's <see cref="RedisRetryAfterLimiter"/>, so a refused
/// call waits for the next window instead of failing.</param>
/// <param name="Time">The engine's clock, or null for the system's.</param>
internal sealed record QuotaHostOptions(int PermitLimit, TimeSpan Window, bool WaitForNextWindow = false, TimeProvider? Time = null);

internal sealed record SearchOutcome(string Host, int Scored, IReadOnlyList<CandidateFailedEvent> Failed);
