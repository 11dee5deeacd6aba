namespace StreamingBeam.Redis.Tests.Server;

/// <summary>A fact that needs a real redis-server (see <see cref="RedisServerFixture"/>). Without one it is skipped on a
/// developer machine (so <c>dotnet test</c> works with only the .NET SDK) and runs, to fail with the reason, on CI
/// (<c>CI=true</c>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (RedisServerFixture.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that needs a real redis-server; skipped or failed as <see cref="RedisFactAttribute"/> says.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RedisTheoryAttribute : TheoryAttribute
{
    public RedisTheoryAttribute()
    {
        if (RedisServerFixture.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
