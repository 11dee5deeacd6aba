using Microsoft.Extensions.Logging;
using StreamingBeam.Concurrency;
using StreamingBeam.Diagnostics;

namespace StreamingBeam.Extraction.Internal;

/// <summary>Calls one extractor for a run: its condition, then the call under its timeout, and turns whatever happens
/// into exactly one <see cref="ExtractionOutcome"/> reported to the run.</summary>
/// <remarks>
/// With a timeout, the run stops waiting when it fires even if the extractor ignores its token: the outcome is reported
/// at the timeout, and the abandoned call is still awaited (and its exception observed) before the run drains. Nothing
/// here takes the run's lock; the run's callbacks do.
/// </remarks>
internal sealed class ExtractorInvocation(
    ExtractionRun run, OutstandingWork outstanding, AbandonedCalls abandoned, ExtractionTelemetry telemetry, ILogger logger)
{
    /// <summary>Runs the extractor of <paramref name="node"/>, which the run has marked running and counted as outstanding.</summary>
    public async Task RunAsync(ExtractionRunNode node)
    {
        var plan = node.Plan;
        CallTimeout deadline = default;
        Task<ExtractorOutput>? call = null;
        ExtractionCall trace = default;
        var runToken = run.Token;
        ProviderUsage refusedUsage = default;
        try
        {
            if (plan.Condition is not null && !PassesCondition(node))
            {
                return;
            }

            if (logger.IsEnabled(LogLevel.Debug))
            {
                ExtractionLog.ExtractorStarted(logger, plan.Name);
            }

            ExtractorOutput? output;
            var refusals = 0;
            long firstRefusal = 0;
            while (true)
            {
                // The extractor's rate limit and cooldown, then the run's: all before the timeout starts.
                using var permit = await plan.Gate.AcquireAsync(run.MaxRateLimitWait, runToken).ConfigureAwait(false);
                using var runPermit = run.RunGate is { } runGate
                    ? await runGate.AcquireAsync(run.MaxRateLimitWait, runToken).ConfigureAwait(false)
                    : default(ProviderGate.Permit?);
                trace = telemetry.StartExtractor(plan.Name);
                deadline = CallTimeout.Start(plan.Timeout, run.Time, runToken);
                call = plan.Extractor.ExtractAsync(node, deadline.Token)
                    ?? throw new InvalidOperationException($"Extractor '{plan.Name}' returned a null task.");
                try
                {
                    // Stop waiting at the timeout or the run's cancellation even if the extractor ignores its token.
                    output = await abandoned.WaitOrAbandonAsync(call, deadline.Token).ConfigureAwait(false);
                    plan.Gate.Cooldown.OnAccepted();
                    break;
                }
                catch (ProviderRateLimitedException refusal) when (!runToken.IsCancellationRequested)
                {
                    // Not a failure: every run's calls of this extractor pause, and this one is tried again.
                    if (refusals++ == 0)
                    {
                        firstRefusal = run.Time.GetTimestamp();
                    }

                    var cooldown = refusal.RetryAfter ?? RateLimitFallback(refusals);
                    plan.Gate.Cooldown.OnRateLimited(permit.AdmittedAt, cooldown);
                    refusedUsage += UsageCheck.ReportedBy(refusal);
                    var waited = run.Time.GetElapsedTime(firstRefusal);
                    trace.Failed(ExtractionStatus.Failed, refusal);
                    trace.Dispose();
                    trace = default;
                    deadline.Dispose();
                    deadline = default;
                    call = null;
                    if (waited + cooldown > run.MaxRateLimitWait)
                    {
                        throw new ProviderException(
                            $"Extractor '{plan.Name}' was refused by its provider's rate limit {refusals} times over {waited}; waiting {cooldown} more would pass ExtractionRunOptions.MaxRateLimitWait ({run.MaxRateLimitWait}).",
                            refusal)
                        {
                            Operation = refusal.Operation ?? $"{plan.Name}.ExtractAsync",
                            StatusCode = 429,
                            IsTransient = false,
                        };
                    }

                    ExtractionLog.ExtractorRateLimited(logger, plan.Name, cooldown, refusals);
                }
            }

            if (output is null)
            {
                throw new InvalidOperationException($"Extractor '{plan.Name}' returned a null ExtractorOutput.");
            }

            if (logger.IsEnabled(LogLevel.Debug))
            {
                ExtractionLog.ExtractorSucceeded(logger, plan.Name, run.Elapsed);
            }

            var usage = UsageCheck.Require(output.Usage, $"Extractor '{plan.Name}'") + refusedUsage;
            trace.Succeeded(usage);
            run.Report(node, ExtractionOutcome.Succeeded(output.Tokens, usage, plan.Cost));
        }
        catch (Exception) when (runToken.IsCancellationRequested)
        {
            trace.Canceled();
            run.Report(node, ExtractionOutcome.CanceledByRun());
        }
        // A timeout is a call that ended in cancellation once its timeout fired. A failure of the extractor's own (a
        // thrown error, a null output) stays a failure even if the timer fires before this filter runs.
        catch (OperationCanceledException ex) when (deadline.HasFired(runToken))
        {
            ExtractionLog.ExtractorTimedOut(logger, plan.Name, plan.Timeout!.Value);
            var timedOut = new TimeoutException($"Extractor '{plan.Name}' did not finish within its timeout of {plan.Timeout.Value}.", ex);
            trace.Failed(ExtractionStatus.TimedOut, timedOut);
            run.Report(node, ExtractionOutcome.TimedOut(timedOut, plan.Cost));
        }
#pragma warning disable CA1031 // Failure isolation: whatever an extractor throws fails that extractor alone.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ExtractionLog.ExtractorFailed(logger, plan.Name, ex);
            trace.Failed(ExtractionStatus.Failed, ex);

            // A failed call the provider charged for still counts (usage it reported on the exception).
            run.Report(node, ExtractionOutcome.Failed(ex, plan.Cost, refusedUsage + UsageCheck.ReportedBy(ex)));
        }
        finally
        {
            trace.Dispose();
            if (call is { IsFaulted: true })
            {
                _ = call.Exception;
            }

            // An abandoned call's token is already canceled, so its deadline can go now; AbandonedCalls observes it.
            deadline.Dispose();
            outstanding.Release();
        }
    }

    /// <summary>The cooldown after a refusal that did not say how long to wait: 1 s, doubling per refusal of the call, at most 30 s.</summary>
    private static TimeSpan RateLimitFallback(int refusals) => TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, refusals - 1)));

    /// <summary>Evaluates the condition, then charges the budget; reports the extractor skipped or failed when it must not run.</summary>
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
            ExtractionLog.ExtractorFailed(logger, node.Plan.Name, error);
            run.Report(node, ExtractionOutcome.Failed(error, 0m));
            return false;
        }

        if (!proceed)
        {
            run.Report(node, ExtractionOutcome.Skipped(ExtractionSkipReason.ConditionFalse));
            return false;
        }

        return run.TryChargeOrSkip(node);
    }
}
