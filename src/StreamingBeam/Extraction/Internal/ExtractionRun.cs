using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using StreamingBeam.Concurrency;
using StreamingBeam.Diagnostics;

namespace StreamingBeam.Extraction.Internal;

/// <summary>One run of an <see cref="ExtractionEngine"/>: schedules the extractors and records their outcomes.</summary>
/// <remarks>
/// <para>
/// Scheduling state lives behind one lock, and every method that needs it ends in <c>Locked</c>. Each outcome is
/// recorded, counted and handed to the <see cref="RunOutbox"/> in a single lock section, so delivery order,
/// <see cref="ExtractionUpdate.Completed"/> and <see cref="ExtractionUpdate.IsFinal"/> always agree. Extractor code,
/// conditions and cancellation callbacks never run under the lock.
/// </para>
/// <para>
/// Extractors are started by a "pump" that only one thread runs at a time: a completion that makes more extractors
/// ready asks for a pump, and an active pump picks the request up instead of recursing, so synchronous extractors
/// cannot grow the stack. The pieces: <see cref="ExtractorInvocation"/> (one call), <see cref="ArtifactCache"/> (shared
/// preprocessing), <see cref="OutstandingWork"/> (what must end before the run does), <see cref="RunOutbox"/> (delivery).
/// </para>
/// </remarks>
internal sealed partial class ExtractionRun
{
    private readonly object _lock = new();
    private readonly ExtractionPlan _plan;
    private readonly ILogger _logger;
    private readonly CancellationToken _callerToken;
    private readonly CancellationTokenSource _cts;
    private readonly ExtractionRunNode[] _nodes;
    private readonly PriorityQueue<ExtractionRunNode, ulong> _ready = new();
    private readonly Queue<(ExtractionRunNode Node, ExtractionOutcome Outcome)> _work = new();
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly OutstandingWork _outstanding = new();
    private readonly AbandonedCalls _abandoned = new();
    private readonly TimeSpan _abandonedCallGrace;
    private readonly ArtifactCache _artifacts;
    private readonly ExtractorInvocation _invocation;
    private readonly RunOutbox _outbox;
    private readonly ExtractionMode _mode;
    private readonly int _maxConcurrency;
    private readonly decimal? _budget;
    private readonly long _startTimestamp;
    private readonly ExtractionTelemetry _telemetry;
    private int _running;
    private int _completed;
    private decimal _spent;
    private bool _stopped;
    private int _pumpRequests;
    private int _cancelRequested;
    private RequiredExtractorFailedException? _failure;

    public ExtractionRun(ExtractionPlan plan, ExtractionInput input, ExtractionRunSettings settings, TimeProvider time, ILogger logger,
        StreamingBeamMetrics metrics, CancellationToken cancellationToken)
    {
        _plan = plan;
        Input = input;
        Time = time;
        _logger = logger;
        _callerToken = cancellationToken;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Token = _cts.Token;
        _mode = settings.Mode;
        _maxConcurrency = settings.MaxConcurrency ?? int.MaxValue;
        _budget = settings.Budget;
        _outbox = new RunOutbox(plan, settings.Mode == ExtractionMode.Tiered);
        _startTimestamp = time.GetTimestamp();
        _telemetry = new ExtractionTelemetry(metrics, time, _startTimestamp);
        _artifacts = new ArtifactCache(plan, input, _outstanding, _abandoned, _telemetry, logger, Token);
        _invocation = new ExtractorInvocation(this, _outstanding, _abandoned, _telemetry, logger);
        _abandonedCallGrace = settings.AbandonedCallGrace;
        MaxRateLimitWait = settings.MaxRateLimitWait;
        RunGate = settings.RateLimiter is { } limiter ? new ProviderGate(null, limiter, "ExtractionRunOptions.RateLimiter", time) : null;

        _nodes = new ExtractionRunNode[plan.Extractors.Length];
        for (var i = 0; i < _nodes.Length; i++)
        {
            _nodes[i] = new ExtractionRunNode(this, plan.Extractors[i]);
        }
    }

    public ExtractionInput Input { get; }

    public TimeProvider Time { get; }

    /// <summary>Gets the run-wide rate limit every extractor call passes, or <see langword="null"/> for none.</summary>
    public ProviderGate? RunGate { get; }

    /// <summary>Gets how long one extractor call may wait for rate-limit cooldowns in total.</summary>
    public TimeSpan MaxRateLimitWait { get; }

    /// <summary>Gets the run's token: canceled by the caller, by a stop, or by a required extractor's failure.</summary>
    public CancellationToken Token { get; }

    public ChannelReader<ExtractionDelivery> Reader => _outbox.Reader;

    /// <summary>Gets a task that completes once the run has written its last delivery (or ended on a required failure).</summary>
    public Task Finished => _finished.Task;

    /// <summary>Gets the error that ended the run, once the channel is complete.</summary>
    public RequiredExtractorFailedException? Failure => Volatile.Read(ref _failure);

    /// <summary>Gets the time since the run started.</summary>
    public TimeSpan Elapsed => Time.GetElapsedTime(_startTimestamp);

    private int Total => _nodes.Length;

    public void Start()
    {
        ExtractionLog.RunStarted(_logger, Total, _mode);
        _telemetry.StartRun(Total, _mode);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            ExtractionLog.RunInput(_logger, Input.Name, Input.MediaType, Input.Data.Length);
        }

        lock (_lock)
        {
            foreach (var node in _nodes)
            {
                // In tiered mode a later tier's extractors wait for one more "dependency": their tier's turn.
                node.PendingDependencies = node.Plan.Dependencies.Length + (_outbox.Tiered && node.Plan.TierIndex > 0 ? 1 : 0);
                if (node.PendingDependencies == 0)
                {
                    OnDependenciesDoneLocked(node);
                }
            }

            if (Total == 0)
            {
                CompleteLocked();
            }
        }

        // The consumer's thread goes straight back to waiting for the first update while a pool thread starts the
        // extractors, so the first update waits for nothing but its own extractor.
        _outstanding.Add();
        ThreadPool.QueueUserWorkItem(
            static run =>
            {
                try
                {
                    run.Pump();
                }
                finally
                {
                    run._outstanding.Release();
                }
            },
            this,
            preferLocal: false);
    }

    /// <summary>Stops starting extractors and delivering updates, and cancels the calls in flight.</summary>
    public void Stop()
    {
        lock (_lock)
        {
            _stopped = true;
            _ready.Clear();
            _work.Clear();
        }

        CancelRun();
    }

    /// <summary>Stops the run and waits until every call, artifact computation and pump it started has ended.</summary>
    public async Task StopAndDrainAsync()
    {
        int completed;
        bool stoppedBefore;
        lock (_lock)
        {
            completed = _completed;
            stoppedBefore = _stopped;
        }

        Stop();
        _outstanding.Release();
        await _outstanding.Drained.ConfigureAwait(false);
        if (!await _abandoned.WaitAsync(_abandonedCallGrace, Time).ConfigureAwait(false))
        {
            ExtractionLog.CallsAbandoned(_logger, _abandoned.Running, _abandonedCallGrace);
        }

        _cts.Dispose();

        var canceled = _callerToken.IsCancellationRequested && completed < Total;
        _telemetry.EndRun(completed, _failure, canceled);
        if (_failure is not null)
        {
            return;
        }

        if (canceled)
        {
            ExtractionLog.RunCanceled(_logger, completed, Total, Elapsed);
        }
        else if (completed == Total && !stoppedBefore)
        {
            ExtractionLog.RunCompleted(_logger, completed, Total, Elapsed);
        }
        else
        {
            ExtractionLog.RunStopped(_logger, completed, Total, Elapsed);
        }
    }

    public ValueTask<T> GetArtifactAsync<T>(ArtifactKey<T> key, CancellationToken cancellationToken) => _artifacts.GetAsync(key, cancellationToken);

    public JsonObject? GetDependencyResult(ExtractionRunNode node, string extractorName)
    {
        if (!_plan.ByName.TryGetValue(extractorName, out var index) || Array.IndexOf(node.Plan.Dependencies, index) < 0)
        {
            return null;
        }

        // A dependency is done before its dependent starts (ordered by the lock), so this read needs no lock.
        var dependency = _nodes[index];
        return dependency.State == ExtractionRunNode.NodeState.Done ? dependency.Result : null;
    }

    public void PublishProvisional(ExtractionRunNode node, JsonObject tokens)
    {
        lock (_lock)
        {
            if (_stopped || node.State == ExtractionRunNode.NodeState.Done)
            {
                return;
            }

            _outbox.DeliverLocked(new ExtractionUpdate
            {
                ExtractorName = node.Plan.Name,
                Status = ExtractionStatus.Provisional,
                Tokens = tokens,
                Elapsed = Elapsed,
                Completed = _completed,
                Total = Total,
                Weight = node.Plan.Weight,
            });
        }

        ExtractionLog.ProvisionalPublished(_logger, node.Plan.Name);
    }

    /// <summary>Records how an extractor ended, then lets the pump start whatever that made ready.</summary>
    public void Report(ExtractionRunNode node, ExtractionOutcome outcome)
    {
        lock (_lock)
        {
            SettleLocked(node, outcome);
        }

        AfterSettle();
    }

    /// <summary>Charges a conditional extractor's cost once its condition held; skips it when the budget is spent.</summary>
    public bool TryChargeOrSkip(ExtractionRunNode node)
    {
        lock (_lock)
        {
            if (TryChargeLocked(node))
            {
                return true;
            }

            SettleLocked(node, ExtractionOutcome.Skipped(ExtractionSkipReason.BudgetExceeded));
        }

        AfterSettle();
        return false;
    }
}
