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

    [RedisFact]
    public async Task TwoHosts_OneApiKey_CallsOverTheQuotaWaitForTheNextWindow()
    {
        // 2 hosts x 3 candidates: 6 images for a quota of 4. The engines' clock is the test's, so the 2 refused calls
        // wait on it until the test has ended the window.
        var time = new TimerWatchingTimeProvider();
        var quota = new QuotaHostOptions(PermitLimit: 4, Window: TimeSpan.FromHours(1), WaitForNextWindow: true, Time: time);
        var log = new ImageCallLog();
        var apiKey = redis.NewKeyPrefix() + "images:team-a";
        await using var a = await QuotaHost.StartAsync("host-a", redis.ConnectAsync(), apiKey, quota, log);
        await using var b = await QuotaHost.StartAsync("host-b", redis.ConnectAsync(), apiKey, quota, log);
        var options = new BeamSearchOptions
        {
            BeamWidth = 3,
            KeepTop = 1,
            MaxIterations = 1,
            Retry = new BeamRetryOptions { MaxRateLimitWait = TimeSpan.FromDays(1) },
        };

        var searches = new[] { Task.Run(() => a.SearchAsync("a red fox", options)), Task.Run(() => b.SearchAsync("a blue heron", options)) };
        var waiting = Task.WhenAll(
            log.Count.WaitForAsync(4, "image calls admitted in the first window"),
            time.LongTimers.WaitForAsync(2, "calls waiting for the next window"));
        if (await Task.WhenAny(waiting, Task.WhenAll(searches)) != waiting)
        {
            Assert.Fail($"Both searches ended before the window did: {log.Calls.Count} images, failures: "
                + string.Join("; ", (await Task.WhenAll(searches)).SelectMany(o => o.Failed).Select(f => f.Exception.Message)));
        }

        await waiting;

        Assert.Equal(4, log.Calls.Count);

        // The test-controlled point: the window ends (its keys go, as Redis expires them), and the clock reaches it.
        var ended = await EndWindowAsync(a, apiKey);
        time.Advance(quota.Window);
        var outcomes = await Task.WhenAll(searches);

        Assert.True(ended > 0);
        Assert.Equal(6, log.Calls.Count);
        Assert.Equal(6, outcomes.Sum(o => o.Scored));
        Assert.Empty(outcomes.SelectMany(o => o.Failed));
    }

    /// <summary>Deletes the quota's keys (RedisRateLimiting keeps each partition's window under keys that hold its
    /// name), which is what the window's end does.</summary>
    private async Task<long> EndWindowAsync(QuotaHost host, string apiKey)
    {
        var server = host.Redis.GetServer(redis.EndPoint);
        var keys = new List<StackExchange.Redis.RedisKey>();
        await foreach (var key in server.KeysAsync(pattern: "*" + apiKey + "*"))
        {
            keys.Add(key);
        }

        return await host.Redis.GetDatabase().KeyDeleteAsync([.. keys]);
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
