using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using StreamingBeam.Samples.Web.Hosting;

namespace StreamingBeam.Samples.Web.Runs;

/// <summary>Keeps the server's runs by id, bounded in number and in time.</summary>
/// <remarks>
/// <para>At most <see cref="WebSampleOptions.MaxRuns"/> runs are kept, running or finished. Creating a run evicts
/// finished runs older than <see cref="WebSampleOptions.FinishedRunRetention"/>, then the oldest finished ones while the
/// registry is full; when every kept run is still running, creation fails and the endpoint answers 503. A sweep timer
/// also drops expired runs when no request comes.</para>
/// <para>When the application stops, every run is canceled (<see cref="CancelReasons.ServerStopping"/>), so open event
/// streams end and the server drains quickly; disposal waits for the runs' work to end.</para>
/// </remarks>
internal sealed partial class RunRegistry : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, StreamRun> _runs = new(StringComparer.Ordinal);
    private readonly WebSampleOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<RunRegistry> _logger;
    private readonly ITimer _sweep;
    private readonly CancellationTokenRegistration _stopping;

    public RunRegistry(IOptions<WebSampleOptions> options, TimeProvider timeProvider, IHostApplicationLifetime lifetime, ILogger<RunRegistry> logger)
    {
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        var period = _options.FinishedRunRetention < TimeSpan.FromMinutes(1) ? _options.FinishedRunRetention : TimeSpan.FromMinutes(1);
        _sweep = timeProvider.CreateTimer(static state => ((RunRegistry)state!).Sweep(), this, period, period);
        _stopping = lifetime.ApplicationStopping.Register(static state => ((RunRegistry)state!).CancelAll(CancelReasons.ServerStopping), this);
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _runs.Count;
            }
        }
    }

    public IReadOnlyList<StreamRun> Snapshot()
    {
        lock (_lock)
        {
            return [.. _runs.Values.OrderBy(r => r.CreatedAt)];
        }
    }

    /// <summary>Makes room and creates a run, or returns <see langword="null"/> when every kept run is still running.</summary>
    public StreamRun? TryCreate(RunKind kind)
    {
        List<StreamRun> evicted = [];
        StreamRun? run = null;
        lock (_lock)
        {
            RemoveExpiredLocked(evicted);
            while (_runs.Count >= _options.MaxRuns)
            {
                var oldest = _runs.Values.Where(r => r.IsFinished).MinBy(r => r.FinishedAt);
                if (oldest is null)
                {
                    break;
                }

                _runs.Remove(oldest.Id);
                evicted.Add(oldest);
            }

            if (_runs.Count < _options.MaxRuns)
            {
                run = new StreamRun(NewId(), kind, _timeProvider, _options.ClientGracePeriod);
                _runs.Add(run.Id, run);
            }
        }

        DisposeAll(evicted);
        if (run is null)
        {
            LogFull(_logger, _options.MaxRuns);
        }
        else
        {
            LogCreated(_logger, run.Kind, run.Id);
        }

        return run;
    }

    public StreamRun? Find(string id)
    {
        lock (_lock)
        {
            var run = _runs.GetValueOrDefault(id);
            return run is not null && IsExpired(run) ? null : run;
        }
    }

    /// <summary>Forgets a finished run now (a WebSocket run, which nobody can reconnect to).</summary>
    public void Remove(StreamRun run)
    {
        lock (_lock)
        {
            if (!_runs.Remove(run.Id, out var removed) || !ReferenceEquals(removed, run))
            {
                return;
            }
        }

        run.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.DisposeAsync();
        await _sweep.DisposeAsync();
        StreamRun[] runs;
        lock (_lock)
        {
            runs = [.. _runs.Values];
            _runs.Clear();
        }

        foreach (var run in runs)
        {
            run.Cancel(CancelReasons.ServerStopping);
        }

        await Task.WhenAll(runs.Select(r => r.Completion)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        DisposeAll(runs);
    }

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    private static void DisposeAll(IEnumerable<StreamRun> runs)
    {
        foreach (var run in runs)
        {
            run.Dispose();
        }
    }

    private void CancelAll(string reason)
    {
        foreach (var run in Snapshot())
        {
            run.Cancel(reason);
        }
    }

    private void Sweep()
    {
        List<StreamRun> evicted = [];
        lock (_lock)
        {
            RemoveExpiredLocked(evicted);
        }

        DisposeAll(evicted);
    }

    private void RemoveExpiredLocked(List<StreamRun> evicted)
    {
        foreach (var run in _runs.Values)
        {
            if (IsExpired(run))
            {
                evicted.Add(run);
            }
        }

        foreach (var run in evicted)
        {
            _runs.Remove(run.Id);
        }
    }

    private bool IsExpired(StreamRun run) =>
        run.FinishedAt is var finishedAt and not 0 && _timeProvider.GetElapsedTime(finishedAt) >= _options.FinishedRunRetention;

    [LoggerMessage(Level = LogLevel.Information, Message = "Created {Kind} run {RunId}")]
    private static partial void LogCreated(ILogger logger, RunKind kind, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a new run: all {MaxRuns} kept runs are still running")]
    private static partial void LogFull(ILogger logger, int maxRuns);
}
