using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using StackExchange.Redis;

namespace StreamingBeam.Redis.Tests.Server;

/// <summary>A real, throwaway <c>redis-server</c> for a test class (<c>IClassFixture&lt;RedisServerFixture&gt;</c>) or a
/// collection: started on a free loopback port with persistence off and its own temporary directory, ready once it
/// answers PING, killed on dispose. Tests share the server and keep apart by key: each takes its own
/// <see cref="NewKeyPrefix"/>. Mark the tests <see cref="RedisFactAttribute"/> so that they are skipped, not failed,
/// on a machine without redis-server (except under <c>CI=true</c>, where this fixture fails with the reason).</summary>
public sealed class RedisServerFixture : IAsyncLifetime, IDisposable
{
    private const int StartAttempts = 3;
    private const int OutputLinesKept = 40;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Queue<string> _output = new();
    private Process? _process;
    private DirectoryInfo? _directory;
    private IPEndPoint? _endPoint;
    private int _prefixes;

    /// <summary>Gets why Redis tests are skipped on this machine, or null when they run (redis-server is there, or
    /// <c>CI=true</c>, where a missing server is a failure).</summary>
    public static string? SkipReason =>
        RedisServerBinary.IsCi || RedisServerBinary.Find() is not null
            ? null
            : RedisServerBinary.Missing + " Skipped because CI is not 'true'.";

    /// <summary>Gets the server's address: 127.0.0.1 and the port it listens on.</summary>
    public EndPoint EndPoint => _endPoint ?? throw new InvalidOperationException("The redis-server is not running: " + (SkipReason ?? "it did not start."));

    /// <summary>Gets a StackExchange.Redis configuration string for the server (<c>127.0.0.1:port</c>).</summary>
    public string ConnectionString => ((IPEndPoint)EndPoint).ToString();

    /// <summary>Gets a key prefix no other test of this server uses (<c>t7-…:</c>): prefix every key of one test with
    /// one, and tests sharing the server cannot see each other's data.</summary>
    public string NewKeyPrefix() => $"t{Interlocked.Increment(ref _prefixes)}-{Guid.NewGuid():N}:";

    /// <summary>Opens a new connection to the server, as a separate host would; the caller disposes it. Admin commands
    /// (CONFIG, FLUSHDB, ...) are allowed: the server is the test's own.</summary>
    public async Task<ConnectionMultiplexer> ConnectAsync()
    {
        var options = new ConfigurationOptions { EndPoints = { EndPoint }, AbortOnConnectFail = true, AllowAdmin = true };
        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    public async Task InitializeAsync()
    {
        var executable = RedisServerBinary.Find();
        if (executable is null)
        {
            if (RedisServerBinary.IsCi)
            {
                throw new InvalidOperationException(RedisServerBinary.Missing + " CI=true, so this is a failure, not a skip.");
            }

            return; // Every test here is a RedisFact, skipped with the reason.
        }

        // The free port is found by binding port 0 and letting it go, so another process can take it before redis-server
        // does; redis-server then exits at once, and a new port is tried.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartAsync(executable, FreeLoopbackPort());
                return;
            }
            catch (Exception e)
            {
                await StopAsync(); // nothing is left running or on disk, whatever went wrong
                if (e is not RedisServerExitedException || attempt == StartAttempts)
                {
                    throw;
                }
            }
        }
    }

    public Task DisposeAsync() => StopAsync();

    /// <summary>Kills the server, for an owner that does not use xunit's lifetime (stopping twice is harmless).</summary>
    public void Dispose() => StopAsync().GetAwaiter().GetResult();

    private async Task StartAsync(string executable, int port)
    {
        _directory = Directory.CreateTempSubdirectory("streamingbeam-redis-");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory.FullName,
        };
        string[] arguments =
        [
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--save", string.Empty, // no snapshots
            "--appendonly", "no",
            "--dir", _directory.FullName,
            "--daemonize", "no",
            "--logfile", string.Empty, // to standard output, which the fixture reads
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnOutput(e.Data, ready);
        _process.ErrorDataReceived += (_, e) => OnOutput(e.Data, ready);
        _process.Exited += (_, _) => ready.TrySetException(new RedisServerExitedException(Describe("redis-server exited before it was ready")));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        try
        {
            await ready.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException(Describe($"redis-server was not ready within {StartTimeout.TotalSeconds} s"));
        }

        var endPoint = new IPEndPoint(IPAddress.Loopback, port);
        var reply = await PingAsync(endPoint);
        if (reply != "+PONG")
        {
            throw new InvalidOperationException(Describe($"redis-server answered PING with '{reply}'"));
        }

        _endPoint = endPoint;
    }

    private void OnOutput(string? line, TaskCompletionSource ready)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > OutputLinesKept)
            {
                _output.Dequeue();
            }
        }

        // Logged once the listening sockets are open (Redis 6: "Ready to accept connections", 7: "... tcp").
        if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
        {
            ready.TrySetResult();
        }
    }

    private string Describe(string what)
    {
        lock (_output)
        {
            return $"{what}. Its last output:{Environment.NewLine}{string.Join(Environment.NewLine, _output)}";
        }
    }

    private async Task StopAsync()
    {
        _endPoint = null;
        if (_process is { } process)
        {
            _process = null;
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                await process.WaitForExitAsync();
            }
            catch (InvalidOperationException)
            {
                // It had not started, or already exited and was reaped.
            }

            process.Dispose();
        }

        if (_directory is { } directory)
        {
            _directory = null;
            try
            {
                directory.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A temporary directory left behind is harmless.
            }
        }

        lock (_output)
        {
            _output.Clear();
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> PingAsync(IPEndPoint endPoint)
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        using var client = new TcpClient();
        await client.ConnectAsync(endPoint, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
        var reply = new StringBuilder();
        var buffer = new byte[64];
        while (!reply.ToString().EndsWith("\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                break;
            }

            reply.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return reply.ToString().TrimEnd();
    }

    private sealed class RedisServerExitedException(string message) : Exception(message);
}
