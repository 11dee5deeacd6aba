using StreamingBeam.Redis.Tests.Server;

namespace StreamingBeam.Redis.Tests.Quotas;

/// <summary>Issue #16 item 6: a quota belongs to an API key, not to a process. Two hosts (two DI containers, two Redis
/// connections, two engines) that limit images with a RedisRateLimiting limiter under one key share one quota.</summary>
/// <remarks>The limiter is a fixed window far longer than any run, so every image of the test falls in one window and no
/// permit comes back while it runs: exactly <see cref="PermitLimit"/> images can be admitted, whoever asks and whenever.
/// Each host alone asks for more than the whole quota, so a limiter that is per process admits twice as many, and an
/// engine that ignores its limiter admits every image; neither passes. The control test runs the same hosts with one key
/// each and must see each host get a full quota, so the count depends on the key, not on the setup.</remarks>
public sealed class SharedImageQuotaTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private const int PermitLimit = 5;
    private const int SearchesPerHost = 2;
    private const int BeamWidth = 4;

    /// <summary>Images the searches ask for: 2 hosts x 2 searches x 4 candidates = 16, more than three quotas; each host
    /// alone asks for 8, more than one.</summary>
    private const int ImagesAskedFor = 2 * SearchesPerHost * BeamWidth;

    private static readonly QuotaHostOptions Quota = new(PermitLimit, Window: TimeSpan.FromHours(1));

    [RedisFact]
    public async Task TwoHosts_OneApiKey_AdmitOneQuotaOfImagesBetweenThem()
    {
        var log = new ImageCallLog();
        var apiKey = redis.NewKeyPrefix() + "images:team-a";
        await using var a = await QuotaHost.StartAsync("host-a", redis.ConnectAsync(), apiKey, Quota, log);
        await using var b = await QuotaHost.StartAsync("host-b", redis.ConnectAsync(), apiKey, Quota, log);

        var outcomes = await SearchOnBothAsync(a, b);

        Assert.NotSame(a.Redis, b.Redis);
        Assert.Equal(PermitLimit, log.Calls.Count);
        Assert.Equal(PermitLimit, outcomes.Sum(o => o.Scored));
        var refused = outcomes.SelectMany(o => o.Failed).ToList();
        Assert.Equal(ImagesAskedFor - PermitLimit, refused.Count);
        Assert.All(refused, f => Assert.Equal(BeamStage.Image, f.Stage));
    }

    [RedisFact]
    public async Task TwoHosts_TwoApiKeys_EachGetsAWholeQuota()
    {
        var log = new ImageCallLog();
        var prefix = redis.NewKeyPrefix();
        await using var a = await QuotaHost.StartAsync("host-a", redis.ConnectAsync(), prefix + "images:team-a", Quota, log);
        await using var b = await QuotaHost.StartAsync("host-b", redis.ConnectAsync(), prefix + "images:team-b", Quota, log);

        var outcomes = await SearchOnBothAsync(a, b);

        Assert.Equal(PermitLimit, log.CountFor(a.Name));
        Assert.Equal(PermitLimit, log.CountFor(b.Name));
        Assert.Equal(2 * PermitLimit, outcomes.Sum(o => o.Scored));
        Assert.Equal(ImagesAskedFor - (2 * PermitLimit), outcomes.Sum(o => o.Failed.Count));
    }

    /// <summary>Both hosts' searches at once, each on its own engine.</summary>
    private static async Task<SearchOutcome[]> SearchOnBothAsync(QuotaHost a, QuotaHost b)
    {
        var options = new BeamSearchOptions
        {
            BeamWidth = BeamWidth,
            KeepTop = 1,
            MaxIterations = 1,
            // A refused image is not waited for: the window ends long after the test.
            Retry = new BeamRetryOptions { MaxRetries = 0, MaxRateLimitWait = TimeSpan.Zero },
        };
        var searches = new List<Task<SearchOutcome>>();
        for (var i = 0; i < SearchesPerHost; i++)
        {
            var (foxes, herons) = ($"a red fox {i}", $"a blue heron {i}");
            searches.Add(Task.Run(() => a.SearchAsync(foxes, options)));
            searches.Add(Task.Run(() => b.SearchAsync(herons, options)));
        }

        return await Task.WhenAll(searches);
    }
}
