using System.Globalization;
using StreamingBeam.Concurrency;
using StreamingBeam.Logging;

namespace StreamingBeam.Beam.Internal;

/// <summary>Makes one search's provider calls: each passes its provider kind's gate (slot, rate permit, shared
/// cooldown), then runs under the stage timeout, waits out rate limits, is retried on transient failures, is traced, and
/// has its usage counted in the ledger whether it succeeded or not.</summary>
/// <remarks>The order matters: the gate is passed before the timeout starts, so a call never times out while it is
/// only queued; a retry passes the gate again, so the back-off holds no permit. A rate limit is not a failure: the call
/// reports it to the kind's cooldown (which holds back every lane of every search of the engine) and goes back through
/// the gate, until <see cref="BeamRetryOptions.MaxRateLimitWait"/> has passed since its first refusal.</remarks>
internal sealed class ProviderCaller(BeamRunContext context)
{
    /// <summary>Calls a provider for a candidate (or a parent's critique) of <paramref name="iteration"/>.</summary>
    /// <remarks>A <see cref="ValueTask{T}"/>, awaited exactly once by every caller: with providers that complete
    /// synchronously this path allocates nothing, which keeps a lane's cost flat as the beam widens.</remarks>
    public async ValueTask<T> CallAsync<TState, T>(
        IterationRun iteration,
        BeamStage stage,
        string id,
        ProviderGate gate,
        TState state,
        Func<TState, CancellationToken, Task<T>> call,
        CancellationToken cancellationToken)
    {
        var retry = context.Options.Retry;
        long firstRefusal = 0;
        var refusals = 0;
        for (var attempt = 0; ;)
        {
            try
            {
                var result = await CallOnceAsync(iteration, stage, id, gate, refusals, state, call, cancellationToken).ConfigureAwait(false);

                // Absurd usage (negative, or beyond any real call) is this call's bad output, never a wrapped total.
                var usage = UsageCheck.Require(
                    result switch
                    {
                        LlmResponse text => text.Usage,
                        VisionScore score => score.Usage,
                        GeneratedImage image => image.Usage,
                        _ => default,
                    },
                    ProviderOutputChecks.OperationOf(stage));

                // Counted before the output is checked: a reply or an image the lane then rejects was still paid for.
                context.Ledger.AddUsage(iteration.Number, usage);
                return result;
            }
            catch (ProviderRateLimitedException ex) when (!cancellationToken.IsCancellationRequested)
            {
                if (refusals++ == 0)
                {
                    firstRefusal = context.Time.GetTimestamp();
                }

                var waited = context.Time.GetElapsedTime(firstRefusal);
                var cooldown = CooldownOf(ex, refusals);
                if (waited + cooldown > retry.MaxRateLimitWait)
                {
                    throw new ProviderException(
                        string.Create(
                            CultureInfo.InvariantCulture,
                            $"{ProviderOutputChecks.OperationOf(stage)} was refused by the provider's rate limit {refusals} times over {waited} for candidate {id}; waiting {cooldown} more would pass Retry.MaxRateLimitWait ({retry.MaxRateLimitWait})."),
                        ex)
                    {
                        Operation = ex.Operation ?? ProviderOutputChecks.OperationOf(stage),
                        Model = ex.Model,
                        StatusCode = 429,
                        IsTransient = false,
                    };
                }

                BeamSearchLog.RateLimited(context.Logger, stage, id, cooldown, refusals);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && attempt < retry.MaxRetries && retry.IsRetryable(ex))
            {
                attempt++;
                var delay = retry.DelayBefore(attempt);
                BeamSearchLog.Retrying(context.Logger, stage, id, delay, attempt, ex);
                await Task.Delay(delay, context.Time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The pause a refusal asks for: the provider's <c>Retry-After</c>, or without one the retry back-off
    /// for the call's <paramref name="refusals"/>-th refusal.</summary>
    private TimeSpan CooldownOf(ProviderRateLimitedException refusal, int refusals) =>
        refusal.RetryAfter ?? context.Options.Retry.DelayBefore(refusals);

    private async ValueTask<T> CallOnceAsync<TState, T>(
        IterationRun iteration,
        BeamStage stage,
        string id,
        ProviderGate gate,
        int refusalsBefore,
        TState state,
        Func<TState, CancellationToken, Task<T>> call,
        CancellationToken cancellationToken)
    {
        // No provider call starts once the search is canceled, even one whose permit was free.
        cancellationToken.ThrowIfCancellationRequested();
        using var permit = await gate.AcquireAsync(context.Options.Retry.MaxRateLimitWait, cancellationToken).ConfigureAwait(false);
        var telemetry = context.Telemetry.StartProviderCall(stage, id);
        var deadline = CallTimeout.Start(context.Options.StageTimeout, context.Time, cancellationToken);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var task = call(state, deadline.Token)
                ?? throw new ProviderOutputException($"{ProviderOutputChecks.OperationOf(stage)} returned a null task for candidate {id}.");

            // Stop waiting at the deadline (or the cancellation) even if the provider ignores its token: the call is
            // abandoned, its late result discarded and its exception observed (see AbandonedCalls).
            var result = await context.Abandoned.WaitOrAbandonAsync(task, deadline.Token).ConfigureAwait(false);
            gate.Cooldown.OnAccepted();
            return telemetry.Succeeded(result);
        }
        catch (OperationCanceledException ex) when (deadline.HasFired(cancellationToken))
        {
            var timedOut = new TimeoutException(
                string.Create(CultureInfo.InvariantCulture, $"The {stage} call did not finish within the stage timeout of {context.Options.StageTimeout}."),
                ex);
            telemetry.Failed(timedOut);
            throw timedOut;
        }
        catch (Exception ex)
        {
            if (ex is ProviderRateLimitedException refusal)
            {
                gate.Cooldown.OnRateLimited(permit.AdmittedAt, CooldownOf(refusal, refusalsBefore + 1));
            }

            if (UsageCheck.ReportedBy(ex) is var usage && usage != default)
            {
                // A failed call that the provider charged for is counted like any other (budgets included).
                context.Ledger.AddUsage(iteration.Number, usage);
            }

            telemetry.Failed(ex);
            throw;
        }
        finally
        {
            deadline.Dispose();
            telemetry.Dispose();
        }
    }
}
