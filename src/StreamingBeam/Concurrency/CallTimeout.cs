namespace StreamingBeam.Concurrency;

/// <summary>The deadline of one provider call, shared by both engines: a token that fires when the call's own timeout
/// passes or when the run is canceled, whichever comes first.</summary>
/// <remarks>
/// The timer starts when the deadline is created, so callers create it after the call has its permit: time spent queued
/// for a limit never counts against a timeout. A struct, so a call without a timeout costs nothing; dispose each instance
/// exactly once, after the call has ended (an abandoned call keeps its deadline until it ends).
/// </remarks>
internal readonly struct CallTimeout : IDisposable
{
    private readonly CancellationTokenSource? _timer;
    private readonly CancellationTokenRegistration _link;

    private CallTimeout(CancellationTokenSource? timer, CancellationTokenRegistration link, CancellationToken token)
    {
        _timer = timer;
        _link = link;
        Token = token;
    }

    /// <summary>Gets the token to hand the provider.</summary>
    public CancellationToken Token { get; }

    /// <summary>Gets whether the call has a timeout at all (without one, <see cref="Token"/> is the run's own token).</summary>
    public bool HasTimeout => _timer is not null;

    /// <summary>Starts a call's deadline.</summary>
    /// <param name="timeout">The call's timeout, or <see langword="null"/> for none.</param>
    /// <param name="time">The clock the timeout runs on.</param>
    /// <param name="runToken">The run's token, which also ends the call.</param>
    public static CallTimeout Start(TimeSpan? timeout, TimeProvider time, CancellationToken runToken)
    {
        if (timeout is not { } value)
        {
            return new CallTimeout(null, default, runToken);
        }

        var timer = new CancellationTokenSource(value, time);
        var link = runToken.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), timer);
        return new CallTimeout(timer, link, timer.Token);
    }

    /// <summary>Whether the call's own timeout has fired, as opposed to the run being canceled.</summary>
    /// <param name="runToken">The run's token the deadline was started with.</param>
    public bool HasFired(CancellationToken runToken) => _timer is { IsCancellationRequested: true } && !runToken.IsCancellationRequested;

    public void Dispose()
    {
        _link.Dispose();
        _timer?.Dispose();
    }
}
