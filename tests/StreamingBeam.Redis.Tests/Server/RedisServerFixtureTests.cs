using StackExchange.Redis;

namespace StreamingBeam.Redis.Tests.Server;

public sealed class RedisServerFixtureTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [RedisFact]
    public async Task Server_AnswersOnLoopbackWithPersistenceOff()
    {
        await using var connection = await redis.ConnectAsync();
        var server = connection.GetServer(redis.EndPoint);

        Assert.StartsWith("127.0.0.1:", redis.ConnectionString, StringComparison.Ordinal);
        Assert.Equal("127.0.0.1", Config(server, "bind"));
        Assert.Equal(string.Empty, Config(server, "save"));
        Assert.Equal("no", Config(server, "appendonly"));
        Assert.Contains("streamingbeam-redis-", Config(server, "dir"), StringComparison.Ordinal);
    }

    [RedisFact]
    public async Task NewKeyPrefix_KeepsTwoTestsApartOnOneServer()
    {
        var first = redis.NewKeyPrefix();
        var second = redis.NewKeyPrefix();
        await using var one = await redis.ConnectAsync();
        await using var other = await redis.ConnectAsync();

        await one.GetDatabase().StringSetAsync(first + "k", "one");
        await other.GetDatabase().StringSetAsync(second + "k", "other");

        Assert.NotEqual(first, second);
        Assert.Equal("one", await other.GetDatabase().StringGetAsync(first + "k"));
        Assert.Equal("other", await one.GetDatabase().StringGetAsync(second + "k"));
    }

    private static string Config(IServer server, string name) => server.ConfigGet(name).Single().Value;
}
