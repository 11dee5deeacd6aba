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
/// An answered call adds to the ledger exactly what the call's attempts added the first time (failed attempts a provider
/// charged for included), so a resumed search's totals equal an uninterrupted one's.
/// </para>
/// </remarks>
internal sealed class RecordedCalls(BeamRunContext context)
{
    public ValueTask<T> CallAsync<TState, T>(
        IterationRun iteration,
        BeamStage stage,
        string id,
        ProviderGate gate,
        TState state,
        Func<TState, CancellationToken, Task<T>> call,
        CancellationToken cancellationToken) =>
        CallAsync(iteration, stage, id, null, gate, state, call, cancellationToken);

    /// <summary>Calls a provider for a step, or answers the step from the journal. <c>dimension</c> is the dimension of an
    /// expansion (both of a candidate's run at once); <see langword="null"/> for every other stage.</summary>
    public ValueTask<T> CallAsync<TState, T>(
        IterationRun iteration,
        BeamStage stage,
        string id,
        PromptDimension? dimension,
        ProviderGate gate,
        TState state,
        Func<TState, CancellationToken, Task<T>> call,
        CancellationToken cancellationToken)
    {
        if (context.Journal is not { } journal)
        {
            return context.Caller.CallAsync(iteration, stage, id, gate, state, call, cancellationToken);
        }

        var key = new StepKey(iteration.Number, stage, id, dimension);
        return context.Plan.TryTake(key, out var recorded)
            ? Answer<T>(iteration, recorded, cancellationToken)
            : CallAndRecordAsync(journal, key, iteration, gate, state, call, cancellationToken);
    }

    private ValueTask<T> Answer<T>(IterationRun iteration, StepRecord recorded, CancellationToken cancellationToken)
    {
        // As with a provider call: nothing goes on once the search is canceled.
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<T>(cancellationToken);
        }

        // What the call's attempts added to the ledger the first time, failed ones included, is added once again.
        context.Ledger.AddUsage(iteration.Number, recorded.Usage);
        return recorded is FailedStepRecord failed
            ? ValueTask.FromException<T>(failed.Error.ToException())
            : new ValueTask<T>((T)recorded.Answer!);
    }

    private async ValueTask<T> CallAndRecordAsync<TState, T>(
        SearchJournal journal,
        StepKey key,
        IterationRun iteration,
        ProviderGate gate,
        TState state,
        Func<TState, CancellationToken, Task<T>> call,
        CancellationToken cancellationToken)
    {
        // Each attempt's usage is metered the way ProviderCaller counts it, so the record says what the step cost.
        var meter = new UsageMeter();
        T answer;
        try
        {
            answer = await context.Caller.CallAsync(
                iteration, key.Stage, key.Subject, gate, (State: state, Call: call, Meter: meter),
                static (s, ct) => s.Meter.Observe(s.Call, s.State, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            journal.Append(StepRecord.Failed(key, ex, meter.Total));
            throw;
        }

        journal.Append(StepRecord.Answered(key, answer, meter.Total));
        return answer;
    }
}
