using System.Globalization;
using StreamingBeam.Concurrency;
using StreamingBeam.Logging;

namespace StreamingBeam.Beam.Internal;

/// <summary>Makes one search's provider calls: each waits for its provider's limit, then runs under the stage timeout,
/// is retried on transient failures, is traced, and has its usage counted in the ledger.</summary>
/// <remarks>The order matters: the limit is acquired before the timeout starts, so a call never times out while it is
/// only queued; a retry waits for a new permit, so the back-off does not hold one.</remarks>
internal sealed class ProviderCaller(BeamRunContext context)
{
    /// <summary>Calls a provider for a candidate (or a parent's critique) of <paramref name="iteration"/>.</summary>
    /// <remarks>A <see cref="ValueTask{T}"/>, awaited exactly once by every caller: with providers that complete
    /// synchronously this path allocates nothing, which keeps a lane's cost flat as the beam widens.</remarks>
    public async ValueTask<T> CallAsync<TState, T>(
        IterationRun iteration,
        BeamStage stage,
        string id,
        AsyncLimiter? limiter,
        TState state,
        Func<TState, CancellationToken, Task<T>> call,
        CancellationToken cancellationToken)
    {
        var retry = context.Options.Retry;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var result = await CallOnceAsync(stage, id, limiter, state, call, cancellationToken).ConfigureAwait(false);

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
                if (result is not GeneratedImage)
                {
                    // Images are counted by the lane once the image is known to be usable, with the image budget.
                    context.Ledger.AddUsage(iteration.Number, usage);
                }

                return result;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && attempt < retry.MaxRetries && retry.IsRetryable(ex))
            {
                var delay = retry.DelayBefore(attempt + 1);
                BeamSearchLog.Retrying(context.Logger, stage, id, delay, attempt + 1, ex);
                await Task.Delay(delay, context.Time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask<T> CallOnceAsync<TState, T>(
        BeamStage stage,
        string id,
        AsyncLimiter? limiter,
        TState state,
        Func<TState, CancellationToken, Task<T>> call,
        CancellationToken cancellationToken)
    {
        // No provider call starts once the search is canceled, even one whose permit was free.
        cancellationToken.ThrowIfCancellationRequested();
        if (limiter is not null)
        {
            await limiter.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var telemetry = context.Telemetry.StartProviderCall(stage, id);
        var deadline = CallTimeout.Start(context.Options.StageTimeout, context.Time, cancellationToken);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var task = call(state, deadline.Token)
                ?? throw new ProviderOutputException($"{ProviderOutputChecks.OperationOf(stage)} returned a null task for candidate {id}.");

            // Stop waiting at the deadline (or the cancellation) even if the provider ignores its token: the call is
            // abandoned, its late result discarded and its exception observed (see AbandonedCalls).
            return telemetry.Succeeded(await context.Abandoned.WaitOrAbandonAsync(task, deadline.Token).ConfigureAwait(false));
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
            telemetry.Failed(ex);
            throw;
        }
        finally
        {
            deadline.Dispose();
            telemetry.Dispose();
            limiter?.Release();
        }
    }
}
