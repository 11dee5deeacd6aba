namespace StreamingBeam.Extraction.Internal;

/// <summary>Settling outcomes: each extractor ends exactly once; its update is counted and delivered, its dependents
/// and tier are released, and a required failure ends the run. All of it under the run's lock.</summary>
internal sealed partial class ExtractionRun
{
    private void SettleLocked(ExtractionRunNode node, ExtractionOutcome outcome)
    {
        SettleOneLocked(node, outcome);

        // Dependents skipped because a dependency did not succeed settle here, in order, not recursively.
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
        // Dependents read their own copy: the update's tokens belong to the consumer, who may change them.
        node.Result = outcome.Status == ExtractionStatus.Succeeded && node.Plan.Dependents.Length > 0
            ? (System.Text.Json.Nodes.JsonObject?)outcome.Tokens?.DeepClone()
            : null;
        if (_stopped || outcome.Canceled)
        {
            return;
        }

        var plan = node.Plan;
        if (outcome.Status == ExtractionStatus.Skipped && _logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug))
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
            Elapsed = Elapsed,
            Completed = _completed,
            Total = Total,
            IsFinal = _completed == Total,
            Cost = outcome.Cost,
            Weight = plan.Weight,
            Usage = outcome.Usage,
        };
        _outbox.DeliverLocked(update);
        _telemetry.Settled(update);

        if (plan.Required && outcome.FailsRequired)
        {
            FailLocked(update);
            return;
        }

        foreach (var index in plan.Dependents)
        {
            ReleaseOneLocked(_nodes[index]);
        }

        if (_outbox.SettledLocked(plan.TierIndex) is { } nextTier)
        {
            foreach (var index in nextTier)
            {
                ReleaseOneLocked(_nodes[index]);
            }
        }

        if (_completed == Total)
        {
            CompleteLocked();
        }
    }

    /// <summary>Counts off one of what a node waits for (a dependency, or in tiered mode its tier's turn).</summary>
    private void ReleaseOneLocked(ExtractionRunNode node)
    {
        if (--node.PendingDependencies == 0)
        {
            OnDependenciesDoneLocked(node);
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

    private void FailLocked(ExtractionUpdate update)
    {
        ExtractionLog.RequiredExtractorFailed(_logger, update.ExtractorName, update.Status);
        Volatile.Write(ref _failure, new RequiredExtractorFailedException(update));
        _stopped = true;
        _ready.Clear();
        _work.Clear();
        Volatile.Write(ref _cancelRequested, 1);
        _outbox.FlushLocked();
        CompleteLocked();
    }

    private void CompleteLocked()
    {
        _outbox.CompleteLocked();
        _finished.TrySetResult();
    }

    /// <summary>Cancels the run if a settlement asked for it; called outside the lock, because cancellation runs
    /// extractors' callbacks.</summary>
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
}
