namespace StreamingBeam.Redis.Tests.Server;

/// <summary>Finds the system's <c>redis-server</c>: <c>REDIS_SERVER_PATH</c> if set, else the first one on <c>PATH</c>.</summary>
public static class RedisServerBinary
{
    public const string PathVariable = "REDIS_SERVER_PATH";

    /// <summary>Gets a value indicating whether this is a CI run (<c>CI=true</c>, which .ci/run exports), where a missing
    /// redis-server is a failure rather than a reason to skip.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string Missing =>
        $"No redis-server found: set {PathVariable} or put one on PATH (bash .ci/install.sh installs the Debian package redis-server).";

    public static string? Find()
    {
        var configured = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured) ? configured : null;
        }

        var name = OperatingSystem.IsWindows() ? "redis-server.exe" : "redis-server";
        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
    }
}
