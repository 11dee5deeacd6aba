namespace StreamingBeam.Beam.Internal;

/// <summary>Adds up what one step's attempts add to the ledger: the usage of an answer, and of a failure that reports
/// usage (<see cref="ProviderException.Usage"/>), when <see cref="UsageCheck"/> accepts it, as
/// <see cref="ProviderCaller"/> counts them.</summary>
/// <remarks>A step's attempts run one after another; the lock only covers an attempt that was abandoned (timed out)
/// and ends late, which <see cref="ProviderCaller"/> does not count and neither does this, since the step has already
/// been recorded by then.</remarks>
internal sealed class UsageMeter
{
    private readonly object _lock = new();
    private ProviderUsage _total;
    private bool _closed;

    /// <summary>Gets the usage observed so far, and stops observing.</summary>
    public ProviderUsage Total
    {
        get
        {
            lock (_lock)
            {
                _closed = true;
                return _total;
            }
        }
    }

    /// <summary>Makes an attempt and observes it; returns a task with its outcome, or <see langword="null"/> for a null
    /// task (which <see cref="ProviderCaller"/> reports as unusable output). A provider that throws instead of returning
    /// a task is observed too.</summary>
    public Task<T> Observe<TState, T>(Func<TState, CancellationToken, Task<T>> call, TState state, CancellationToken cancellationToken)
    {
        Task<T> attempt;
        try
        {
            attempt = call(state, cancellationToken);
        }
        catch (ProviderException ex)
        {
            Add(ex.Usage);
            throw;
        }

        return attempt is null ? null! : ObserveAsync(attempt);
    }

    private async Task<T> ObserveAsync<T>(Task<T> attempt)
    {
        try
        {
            var answer = await attempt.ConfigureAwait(false);
            Add(answer switch
            {
                LlmResponse text => text.Usage,
                VisionScore score => score.Usage,
                GeneratedImage image => image.Usage,
                _ => default,
            });
            return answer;
        }
        catch (ProviderException ex)
        {
            Add(ex.Usage);
            throw;
        }
    }

    private void Add(ProviderUsage usage)
    {
        if (usage == default || UsageCheck.FindProblem(usage, perCall: true) is not null)
        {
            return;
        }

        lock (_lock)
        {
            if (!_closed)
            {
                _total += usage;
            }
        }
    }
}
