namespace StreamingBeam.Extraction.Internal;

/// <summary>Starting extractors: the single-runner pump, the ready queue under the concurrency limit, and the budget.</summary>
internal sealed partial class ExtractionRun
{
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
                _ = _invocation.RunAsync(node);
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
            while (!_stopped && !Token.IsCancellationRequested && _running < _maxConcurrency && _ready.TryDequeue(out var node, out _))
            {
                // Extractors with a condition are charged after it holds (see ExtractorInvocation).
                if (node.Plan.Condition is null && !TryChargeLocked(node))
                {
                    SettleLocked(node, ExtractionOutcome.Skipped(ExtractionSkipReason.BudgetExceeded));
                    continue;
                }

                node.State = ExtractionRunNode.NodeState.Running;
                _running++;
                _outstanding.Add();
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

    private void AfterSettle()
    {
        CancelIfRequested();
        Pump();
    }
}
