using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using StreamingBeam.Diagnostics;

namespace StreamingBeam;

/// <summary>One run of an <see cref="ExtractionEngine"/>: schedules the extractors, records their outcomes and hands
/// the updates to the consumer through a channel, in the order the outcomes were recorded.</summary>
/// <remarks>
/// <para>
/// Scheduling state lives behind one lock. Each outcome is recorded, counted and written to the channel in a single
/// lock section, so delivery order, <see cref="ExtractionUpdate.Completed"/> and <see cref="ExtractionUpdate.IsFinal"/>
/// always agree. Extractor code, conditions and cancellation callbacks never run under the lock.
/// </para>
/// <para>
/// Extractors are started by a "pump" that only one thread runs at a time: a completion that makes more extractors
/// ready asks for a pump, and an active pump picks the request up instead of recursing, so synchronous extractors
/// cannot grow the stack. Every piece of work the run starts (the first pump, each extractor call, each artifact
/// computation) is counted in <c>_outstanding</c>; <see cref="StopAndDrainAsync"/> waits for the count to reach zero.
/// </para>
/// </remarks>
internal sealed class ExtractionRun
{
    private readonly object _lock = new();
    private readonly ExtractionPlan _plan;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationToken _callerToken;
    private readonly CancellationTokenSource _cts;
    private readonly CancellationToken _token;
    private readonly Channel<ExtractionDelivery> _channel;
    private readonly ExtractionRunNode[] _nodes;
    private readonly PriorityQueue<ExtractionRunNode, ulong> _ready = new();
    private readonly Queue<(ExtractionRunNode Node, ExtractionOutcome Outcome)> _work = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object?[] _artifacts;
    private readonly ExtractionMode _mode;
    private readonly bool _tiered;
    private readonly int _maxConcurrency;
    private readonly decimal? _budget;
    private readonly int[] _tierRemaining;
    private readonly List<ExtractionUpdate> _tierBuffer = [];
    private readonly long _startTimestamp;
    private readonly ExtractionTelemetry _telemetry;
    private int _currentTier;
    private int _running;
    private int _completed;
    private decimal _spent;
    private bool _stopped;
    private int _outstanding = 1;
    private int _pumpRequests;
    private int _cancelRequested;
    private RequiredExtractorFailedException? _failure;

    public ExtractionRun(ExtractionPlan plan, ExtractionInput input, ExtractionRunSettings settings, TimeProvider time, ILogger logger,
        StreamingBeamMetrics metrics, CancellationToken cancellationToken)
    {
        _plan = plan;
        Input = input;
        _time = time;
        _logger = logger;
        _callerToken = cancellationToken;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _token = _cts.Token;
        _channel = Channel.CreateUnbounded<ExtractionDelivery>(new UnboundedChannelOptions { SingleReader = true });
        _mode = settings.Mode;
        _tiered = settings.Mode == ExtractionMode.Tiered;
        _maxConcurrency = settings.MaxConcurrency ?? int.MaxValue;
        _budget = settings.Budget;
        _artifacts = plan.Preprocessors.Length == 0 ? [] : new object?[plan.Preprocessors.Length];
        _tierRemaining = _tiered ? [.. plan.Tiers.Select(t => t.Length)] : [];

        _nodes = new ExtractionRunNode[plan.Extractors.Length];
        for (var i = 0; i < _nodes.Length; i++)
        {
            _nodes[i] = new ExtractionRunNode(this, plan.Extractors[i]);
        }

        _startTimestamp = time.GetTimestamp();
        _telemetry = new ExtractionTelemetry(metrics, time, _startTimestamp);
    }

    public ExtractionInput Input { get; }

    public ChannelReader<ExtractionDelivery> Reader => _channel.Reader;

    /// <summary>Gets a task that completes once the run has written its last delivery (or ended on a required failure).</summary>
    public Task Finished => _finished.Task;

    /// <summary>Gets the error that ended the run, once the channel is complete.</summary>
    public RequiredExtractorFailedException? Failure => Volatile.Read(ref _failure);

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
                var plan = node.Plan;

                // In tiered mode a later tier's extractors wait for one more "dependency": their tier's turn.
                node.PendingDependencies = plan.Dependencies.Length + (_tiered && plan.TierIndex > 0 ? 1 : 0);
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
        Interlocked.Increment(ref _outstanding);
        ThreadPool.QueueUserWorkItem(
            static run =>
            {
                try
                {
                    run.Pump();
                }
                finally
                {
                    run.ReleaseOutstanding();
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
        ReleaseOutstanding();
        await _drained.Task.ConfigureAwait(false);
        _cts.Dispose();

        var elapsed = _time.GetElapsedTime(_startTimestamp);
        var canceled = _callerToken.IsCancellationRequested && completed < Total;
        _telemetry.EndRun(completed, _failure, canceled);
        if (_failure is not null)
        {
            return;
        }

        if (canceled)
        {
            ExtractionLog.RunCanceled(_logger, completed, Total, elapsed);
        }
        else if (completed == Total && !stoppedBefore)
        {
            ExtractionLog.RunCompleted(_logger, completed, Total, elapsed);
        }
        else
        {
            ExtractionLog.RunStopped(_logger, completed, Total, elapsed);
        }
    }

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

            DeliverLocked(new ExtractionUpdate
            {
                ExtractorName = node.Plan.Name,
                Status = ExtractionStatus.Provisional,
                Tokens = tokens,
                Elapsed = _time.GetElapsedTime(_startTimestamp),
                Completed = _completed,
                Total = Total,
                Weight = node.Plan.Weight,
            });
        }

        ExtractionLog.ProvisionalPublished(_logger, node.Plan.Name);
    }

    public ValueTask<T> GetArtifactAsync<T>(ArtifactKey<T> key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!_plan.PreprocessorsByName.TryGetValue(key.Name, out var index))
        {
            throw new KeyNotFoundException($"No preprocessor is registered for artifact '{key.Name}'.");
        }

        if (_plan.Preprocessors[index] is not PreprocessorRegistration<T> registration)
        {
            throw new KeyNotFoundException(
                $"Artifact '{key.Name}' is registered with type {_plan.Preprocessors[index].ArtifactType}, not {typeof(T)}.");
        }

        var task = (Task<T>?)Volatile.Read(ref _artifacts[index]);
        if (task is null)
        {
            _token.ThrowIfCancellationRequested();
            var source = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            task = (Task<T>?)Interlocked.CompareExchange(ref _artifacts[index], source.Task, null);
            if (task is null)
            {
                task = source.Task;
                Interlocked.Increment(ref _outstanding);
                _ = ComputeArtifactAsync(registration, source);
            }
        }

        return task.IsCompletedSuccessfully ? new ValueTask<T>(task.Result) : AwaitArtifactAsync(task, key.Name, cancellationToken);
    }

    private static async ValueTask<T> AwaitArtifactAsync<T>(Task<T> task, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (task.IsFaulted)
        {
            // A new exception per caller: the preprocessor's own exception is shared by every extractor that asked.
            throw new InvalidOperationException($"Artifact '{name}' could not be computed: {ex.Message}", ex);
        }
    }

    private async Task ComputeArtifactAsync<T>(PreprocessorRegistration<T> registration, TaskCompletionSource<T> source)
    {
        var telemetry = _telemetry.StartPreprocessor(registration.Name);
        try
        {
            ExtractionLog.ArtifactComputing(_logger, registration.Name);
            var value = await registration.Compute(Input, _token).ConfigureAwait(false);
            telemetry.Succeeded(default);
            source.TrySetResult(value);
        }
        catch (OperationCanceledException ex) when (_token.IsCancellationRequested)
        {
            telemetry.Canceled();
            source.TrySetCanceled(ex.CancellationToken);
        }
#pragma warning disable CA1031 // A preprocessor's failure is any exception; it is handed to the extractors that asked.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ExtractionLog.ArtifactFailed(_logger, registration.Name, ex);
            telemetry.Failed(ExtractionStatus.Failed, ex);
            source.TrySetException(ex);

            // Observed here, because the extractors that asked may all have stopped waiting.
            _ = source.Task.Exception;
        }
        finally
        {
            telemetry.Dispose();
            ReleaseOutstanding();
        }
    }

    private void Pump()
    {
        if (Interlocked.Increment(ref _pumpRequests) != 1)
        {
            return;
        }

        while (true)
        {
            while (TryTakeNext() is { } node)
            {
                _ = RunExtractorAsync(node);
            }

            CancelIfRequested();
            if (Interlocked.CompareExchange(ref _pumpRequests, 0, 1) == 1)
            {
                return;
            }

            // Requests arrived while pumping: fold them into one more pass.
            Volatile.Write(ref _pumpRequests, 1);
        }
    }

    private ExtractionRunNode? TryTakeNext()
    {
        lock (_lock)
        {
            while (!_stopped && !_token.IsCancellationRequested && _running < _maxConcurrency && _ready.TryDequeue(out var node, out _))
            {
                // Extractors with a condition are charged after it holds (see RunExtractorAsync).
                if (node.Plan.Condition is null && !TryChargeLocked(node))
                {
                    SettleLocked(node, ExtractionOutcome.Skipped(ExtractionSkipReason.BudgetExceeded));
                    continue;
                }

                node.State = ExtractionRunNode.NodeState.Running;
                _running++;
                Interlocked.Increment(ref _outstanding);
                return node;
            }

            return null;
        }
    }

    private bool TryChargeLocked(ExtractionRunNode node)
    {
        var cost = node.Plan.Cost;
        if (_budget is not { } budget || cost == 0m)
        {
            return true;
        }

        if (_spent + cost > budget)
        {
            return false;
        }

        _spent += cost;
        return true;
    }

    private async Task RunExtractorAsync(ExtractionRunNode node)
    {
        var plan = node.Plan;
        CancellationTokenSource? timeoutSource = null;
        CancellationTokenRegistration link = default;
        Task<ExtractorOutput>? call = null;
        ExtractionCall telemetry = default;
        try
        {
            if (plan.Condition is not null && !PassesCondition(node))
            {
                return;
            }

            if (_logger.IsEnabled(LogLevel.Debug))
            {
                ExtractionLog.ExtractorStarted(_logger, plan.Name);
            }

            telemetry = _telemetry.StartExtractor(plan.Name);
            var token = _token;
            if (plan.Timeout is { } timeout)
            {
                timeoutSource = new CancellationTokenSource(timeout, _time);
                link = _token.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), timeoutSource);
                token = timeoutSource.Token;
            }

            call = plan.Extractor.ExtractAsync(node, token)
                ?? throw new InvalidOperationException($"Extractor '{plan.Name}' returned a null task.");

            // With a timeout, stop waiting when it fires even if the extractor ignores its token; the call is still
            // awaited (see the finally block) before the run ends.
            var output = timeoutSource is null
                ? await call.ConfigureAwait(false)
                : await call.WaitAsync(token).ConfigureAwait(false);
            if (output is null)
            {
                throw new InvalidOperationException($"Extractor '{plan.Name}' returned a null ExtractorOutput.");
            }

            if (_logger.IsEnabled(LogLevel.Debug))
            {
                ExtractionLog.ExtractorSucceeded(_logger, plan.Name, _time.GetElapsedTime(_startTimestamp));
            }

            telemetry.Succeeded(output.Usage);
            Report(node, ExtractionOutcome.Succeeded(output.Tokens, output.Usage, plan.Cost));
        }
        catch (Exception) when (_token.IsCancellationRequested)
        {
            telemetry.Canceled();
            Report(node, ExtractionOutcome.CanceledByRun());
        }
        // A timeout is a call that ended in cancellation once its timeout fired. A failure of the extractor's own (a
        // thrown error, a null output) stays a failure even if the timer fires before this filter runs.
        catch (OperationCanceledException ex) when (timeoutSource is { IsCancellationRequested: true })
        {
            ExtractionLog.ExtractorTimedOut(_logger, plan.Name, plan.Timeout!.Value);
            var timedOut = new TimeoutException($"Extractor '{plan.Name}' did not finish within its timeout of {plan.Timeout.Value}.", ex);
            telemetry.Failed(ExtractionStatus.TimedOut, timedOut);
            Report(node, ExtractionOutcome.TimedOut(timedOut, plan.Cost));
        }
#pragma warning disable CA1031 // Failure isolation: whatever an extractor throws fails that extractor alone.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ExtractionLog.ExtractorFailed(_logger, plan.Name, ex);
            telemetry.Failed(ExtractionStatus.Failed, ex);
            Report(node, ExtractionOutcome.Failed(ex, plan.Cost));
        }
        finally
        {
            telemetry.Dispose();
            if (call is { IsCompleted: false })
            {
                _ = AwaitAbandonedCallAsync(call, timeoutSource, link);
            }
            else
            {
                if (call is { IsFaulted: true })
                {
                    _ = call.Exception;
                }

                link.Dispose();
                timeoutSource?.Dispose();
                ReleaseOutstanding();
            }
        }
    }

    // Evaluates the condition, then charges the budget; reports the extractor skipped or failed when it must not run.
    private bool PassesCondition(ExtractionRunNode node)
    {
        bool proceed;
        try
        {
            proceed = node.Plan.Condition!(node);
        }
#pragma warning disable CA1031 // A throwing condition fails its extractor alone, like a throwing extractor.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var error = new InvalidOperationException($"The condition of extractor '{node.Plan.Name}' threw: {ex.Message}", ex);
            ExtractionLog.ExtractorFailed(_logger, node.Plan.Name, error);
            Report(node, ExtractionOutcome.Failed(error, 0m));
            return false;
        }

        if (!proceed)
        {
            Report(node, ExtractionOutcome.Skipped(ExtractionSkipReason.ConditionFalse));
            return false;
        }

        bool charged;
        lock (_lock)
        {
            charged = TryChargeLocked(node);
            if (!charged)
            {
                SettleLocked(node, ExtractionOutcome.Skipped(ExtractionSkipReason.BudgetExceeded));
            }
        }

        if (!charged)
        {
            AfterSettle();
        }

        return charged;
    }

    private async Task AwaitAbandonedCallAsync(Task call, CancellationTokenSource? timeoutSource, CancellationTokenRegistration link)
    {
        try
        {
            // Already reported (timed out or canceled); awaited so nothing keeps running and nothing goes unobserved.
            await call.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _ = call.Exception;
        }
        finally
        {
            await link.DisposeAsync().ConfigureAwait(false);
            timeoutSource?.Dispose();
            ReleaseOutstanding();
        }
    }

    private void Report(ExtractionRunNode node, ExtractionOutcome outcome)
    {
        lock (_lock)
        {
            SettleLocked(node, outcome);
        }

        AfterSettle();
    }

    private void AfterSettle()
    {
        CancelIfRequested();
        Pump();
    }

    private void SettleLocked(ExtractionRunNode node, ExtractionOutcome outcome)
    {
        SettleOneLocked(node, outcome);
        while (_work.TryDequeue(out var item))
        {
            SettleOneLocked(item.Node, item.Outcome);
        }
    }

    private void SettleOneLocked(ExtractionRunNode node, ExtractionOutcome outcome)
    {
        if (node.State == ExtractionRunNode.NodeState.Done)
        {
            return;
        }

        if (node.State == ExtractionRunNode.NodeState.Running)
        {
            _running--;
        }

        node.State = ExtractionRunNode.NodeState.Done;
        node.Status = outcome.Status;
        node.Result = outcome.Status == ExtractionStatus.Succeeded ? outcome.Tokens : null;
        if (_stopped || outcome.Canceled)
        {
            return;
        }

        var plan = node.Plan;
        if (outcome.Status == ExtractionStatus.Skipped && _logger.IsEnabled(LogLevel.Debug))
        {
            ExtractionLog.ExtractorSkipped(_logger, plan.Name, outcome.SkipReason);
        }

        _completed++;
        var update = new ExtractionUpdate
        {
            ExtractorName = plan.Name,
            Status = outcome.Status,
            Tokens = outcome.Tokens,
            Error = outcome.Error,
            SkipReason = outcome.SkipReason,
            Elapsed = _time.GetElapsedTime(_startTimestamp),
            Completed = _completed,
            Total = Total,
            IsFinal = _completed == Total,
            Cost = outcome.Cost,
            Weight = plan.Weight,
            Usage = outcome.Usage,
        };
        DeliverLocked(update);
        _telemetry.Settled(update);

        if (plan.Required && outcome.FailsRequired)
        {
            FailLocked(update);
            return;
        }

        foreach (var index in plan.Dependents)
        {
            var dependent = _nodes[index];
            if (--dependent.PendingDependencies == 0)
            {
                OnDependenciesDoneLocked(dependent);
            }
        }

        if (_tiered && --_tierRemaining[plan.TierIndex] == 0)
        {
            FinishTierLocked();
        }

        if (_completed == Total)
        {
            CompleteLocked();
        }
    }

    private void OnDependenciesDoneLocked(ExtractionRunNode node)
    {
        foreach (var index in node.Plan.Dependencies)
        {
            if (_nodes[index].Status != ExtractionStatus.Succeeded)
            {
                _work.Enqueue((node, ExtractionOutcome.Skipped(ExtractionSkipReason.DependencyNotSucceeded)));
                return;
            }
        }

        node.State = ExtractionRunNode.NodeState.Ready;
        _ready.Enqueue(node, node.Plan.QueueKey);
    }

    private void DeliverLocked(ExtractionUpdate update)
    {
        if (_tiered)
        {
            _tierBuffer.Add(update);
        }
        else
        {
            _channel.Writer.TryWrite(new ExtractionDelivery(update));
        }
    }

    private void FlushTierLocked()
    {
        if (_tierBuffer.Count > 0)
        {
            _channel.Writer.TryWrite(new ExtractionDelivery(_tierBuffer.ToArray()));
            _tierBuffer.Clear();
        }
    }

    private void FinishTierLocked()
    {
        FlushTierLocked();
        _currentTier++;
        if (_currentTier >= _plan.Tiers.Length)
        {
            return;
        }

        foreach (var index in _plan.Tiers[_currentTier])
        {
            var node = _nodes[index];
            if (--node.PendingDependencies == 0)
            {
                OnDependenciesDoneLocked(node);
            }
        }
    }

    private void FailLocked(ExtractionUpdate update)
    {
        ExtractionLog.RequiredExtractorFailed(_logger, update.ExtractorName, update.Status);
        Volatile.Write(ref _failure, new RequiredExtractorFailedException(update));
        _stopped = true;
        _ready.Clear();
        _work.Clear();
        Volatile.Write(ref _cancelRequested, 1);
        FlushTierLocked();
        CompleteLocked();
    }

    private void CompleteLocked()
    {
        _channel.Writer.TryComplete();
        _finished.TrySetResult();
    }

    private void CancelIfRequested()
    {
        if (Interlocked.Exchange(ref _cancelRequested, 0) == 1)
        {
            CancelRun();
        }
    }

    private void CancelRun()
    {
        try
        {
            _cts.Cancel();
        }
        catch (AggregateException ex)
        {
            ExtractionLog.CancellationCallbackFailed(_logger, ex);
        }
    }

    private void ReleaseOutstanding()
    {
        if (Interlocked.Decrement(ref _outstanding) == 0)
        {
            _drained.TrySetResult();
        }
    }
}
