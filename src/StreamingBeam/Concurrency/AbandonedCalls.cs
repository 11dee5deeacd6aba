namespace StreamingBeam.Concurrency;

/// <summary>Provider calls a run stopped waiting for: timed out, or still running when the run was canceled, because
/// the provider did not honour its token.</summary>
/// <remarks>
/// An abandoned call's result is discarded and its exception observed, whenever it ends. When the run ends it waits for
/// its abandoned calls, but only for a bounded grace (<see cref="WaitAsync"/>): a provider that honours its token ends
/// well within it, so nothing of the run is left running; one that ignores its token cannot hold the stream open.
/// </remarks>
internal sealed class AbandonedCalls
{
    private readonly object _lock = new();
    private int _running;
    private TaskCompletionSource? _allEnded;

    /// <summary>Gets how many abandoned calls have not ended yet.</summary>
    public int Running
    {
        get
        {
            lock (_lock)
            {
                return _running;
            }
        }
    }

    /// <summary>Waits for a call until it ends or <paramref name="token"/> is canceled (its deadline or the run's
    /// cancellation), even if the call ignores its own token. A call still running then is kept here as abandoned, and
    /// the <see cref="OperationCanceledException"/> propagates.</summary>
    /// <remarks>A call that has already ended is returned as it is: nothing is allocated on that path.</remarks>
    public ValueTask<T> WaitOrAbandonAsync<T>(Task<T> call, CancellationToken token) =>
        call.IsCompleted ? new ValueTask<T>(call) : WaitOrAbandonSlowAsync(call, token);

    /// <summary>Keeps a call the run stopped waiting for until it ends; <paramref name="onEnded"/> then runs once.</summary>
    public void Track(Task call, Action? onEnded = null)
    {
        lock (_lock)
        {
            _running++;
        }

        _ = ObserveAsync(call, onEnded);
    }

    /// <summary>Waits until every abandoned call has ended, or until <paramref name="grace"/> has passed on
    /// <paramref name="time"/>, whichever comes first.</summary>
    /// <returns><see langword="true"/> when every abandoned call had ended.</returns>
    public async Task<bool> WaitAsync(TimeSpan grace, TimeProvider time)
    {
        Task allEnded;
        lock (_lock)
        {
            if (_running == 0)
            {
                return true;
            }

            allEnded = (_allEnded ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }

        using var stopDelay = new CancellationTokenSource();
        var first = await Task.WhenAny(allEnded, Task.Delay(grace, time, stopDelay.Token)).ConfigureAwait(false);
        await stopDelay.CancelAsync().ConfigureAwait(false);
        return first == allEnded;
    }

    private async ValueTask<T> WaitOrAbandonSlowAsync<T>(Task<T> call, CancellationToken token)
    {
        try
        {
            return await call.WaitAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!call.IsCompleted)
        {
            Track(call);
            throw;
        }
    }

    private async Task ObserveAsync(Task call, Action? onEnded)
    {
        try
        {
            await call.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _ = call.Exception;
        }
        finally
        {
            onEnded?.Invoke();
            lock (_lock)
            {
                if (--_running == 0)
                {
                    _allEnded?.TrySetResult();
                    _allEnded = null;
                }
            }
        }
    }
}
