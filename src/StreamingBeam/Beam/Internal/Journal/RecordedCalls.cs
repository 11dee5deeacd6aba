using StreamingBeam.Concurrency;

namespace StreamingBeam.Beam.Internal;

/// <summary>The provider calls of a search that keeps a journal: a call the journal already answered (a resumed search)
/// is answered from it, without calling the provider; any other call is made through <see cref="ProviderCaller"/> and
/// its outcome recorded the moment it returns.</summary>
/// <remarks>
/// <para>
/// Without a journal this is <see cref="ProviderCaller.CallAsync"/> itself, nothing added. With one, recording only
/// queues the outcome for <see cref="SearchJournal"/>'s writer: the lane goes on at once, and the event that reports the
/// outcome is published after it is saved (see <see cref="BeamRunContext.Publish"/>).
/// </para>
/// <para>
/// An answered call counts its usage exactly as the call did the first time (images are counted by the lane, which does
/// the same with an answered image as with a rendered one), so a resumed search's totals equal an uninterrupted one's.
/// </para>
/// </remarks>
internal sealed class RecordedCalls(BeamRunContext context)
{
    public ValueTask<T> CallAsync<TState, T>(
        IterationRun iteration,
        BeamStage stage,
        string id,
        AsyncLimiter? limiter,
        TState state,
        Func<TState, CancellationToken, Task<T>> call,
        CancellationToken cancellationToken) =>
        CallAsync(iteration, stage, id, null, limiter, state, call, cancellationToken);

    /// <summary>Calls a provider for a step, or answers the step from the journal. <c>dimension</c> is the dimension of an
    /// expansion (both of a candidate's run at once); <see langword="null"/> for every other stage.</summary>
    public ValueTask<T> CallAsync<TState, T>(
        IterationRun iteration,
        BeamStage stage,
        string id,
        PromptDimension? dimension,
        AsyncLimiter? limiter,
        TState state,
        Func<TState, CancellationToken, Task<T>> call,
        CancellationToken cancellationToken)
    {
        if (context.Journal is not { } journal)
        {
            return context.Caller.CallAsync(iteration, stage, id, limiter, state, call, cancellationToken);
        }

        var key = new StepKey(iteration.Number, stage, id, dimension);
        return context.Plan.TryTake(key, out var recorded)
            ? Answer<T>(iteration, recorded, cancellationToken)
            : CallAndRecordAsync(journal, key, iteration, limiter, state, call, cancellationToken);
    }

    private ValueTask<T> Answer<T>(IterationRun iteration, StepRecord recorded, CancellationToken cancellationToken)
    {
        // As with a provider call: nothing goes on once the search is canceled.
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<T>(cancellationToken);
        }

        if (recorded is FailedStepRecord failed)
        {
            return ValueTask.FromException<T>(failed.Error.ToException());
        }

        var answer = (T)recorded.Answer!;
        switch (answer)
        {
            // ProviderCaller counts every answer's usage but an image's, which the lane counts with the image budget.
            case LlmResponse text:
                context.Ledger.AddUsage(iteration.Number, text.Usage);
                break;
            case VisionScore score:
                context.Ledger.AddUsage(iteration.Number, score.Usage);
                break;
        }

        return new ValueTask<T>(answer);
    }

    private async ValueTask<T> CallAndRecordAsync<TState, T>(
        SearchJournal journal,
        StepKey key,
        IterationRun iteration,
        AsyncLimiter? limiter,
        TState state,
        Func<TState, CancellationToken, Task<T>> call,
        CancellationToken cancellationToken)
    {
        T answer;
        try
        {
            answer = await context.Caller.CallAsync(iteration, key.Stage, key.Subject, limiter, state, call, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            journal.Append(StepRecord.Failed(key, ex));
            throw;
        }

        journal.Append(StepRecord.Answered(key, answer));
        return answer;
    }
}
