using StackExchange.Redis;
using StreamingBeam.Redis.Tests.Server;

namespace StreamingBeam.Redis.Tests.Quotas;

/// <summary>When the Redis that holds the quota is gone, image calls fail: nothing goes out unlimited.</summary>
public sealed class RedisUnavailableTests
{
    [RedisFact]
    public async Task RedisGone_ImageCallsFailWithTheClientsError_AndNoneReachesTheProvider()
    {
        var log = new ImageCallLog();
        var server = new RedisServerFixture(); // its own server, since this test kills it
        await server.InitializeAsync();
        QuotaHost? host = null;
        try
        {
            host = await QuotaHost.StartAsync("host-a", server.ConnectAsync(), server.NewKeyPrefix() + "images:team-a", new(PermitLimit: 5, Window: TimeSpan.FromHours(1)), log);
            var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            host.Redis.ConnectionFailed += (_, _) => lost.TrySetResult();

            await server.DisposeAsync();
            await lost.Task.WaitAsync(TimeSpan.FromSeconds(60)); // a bound for a failing test only
            var outcome = await host.SearchAsync("a red fox", new BeamSearchOptions { BeamWidth = 3, KeepTop = 1, MaxIterations = 1 });

            Assert.Empty(log.Calls);
            Assert.Equal(0, outcome.Scored);
            Assert.Equal(3, outcome.Failed.Count);
            Assert.All(outcome.Failed, f =>
            {
                Assert.Equal(BeamStage.Image, f.Stage);
                Assert.IsType<RedisConnectionException>(f.Exception);
            });
        }
        finally
        {
            if (host is not null)
            {
                await host.DisposeAsync();
            }

            await server.DisposeAsync();
        }
    }
}
