namespace StreamingBeam.Benchmarks.Limits;

/// <summary>What one run did with its image calls, on one clock: when each image was ready to be asked for (its combine
/// had answered), every attempt the provider saw (accepted, or refused with a <c>Retry-After</c>), when each accepted call
/// ended, and when a lane gave up. Written by <see cref="ImageReadinessLlm"/>, <see cref="ImageAttemptRecorder"/> and
/// <see cref="PerLaneRetryImageGenerator"/>; thread-safe.</summary>
/// <remarks>Times are <see cref="TimeProvider.System"/> timestamps turned into the time since the log was created, which
/// a run does just before it creates the providers (so the provider's bucket is full at time zero).</remarks>
internal sealed class ImageCallLog
{
    private readonly object _lock = new();
    private readonly long _start = TimeProvider.System.GetTimestamp();
    private readonly List<(string Prompt, TimeSpan At)> _ready = [];
    private readonly List<ImageAttempt> _attempts = [];
    private readonly List<(string Prompt, TimeSpan At)> _gaveUp = [];

    public TimeSpan Now => TimeProvider.System.GetElapsedTime(_start);

    /// <summary>Records that a lane has its image prompt: from now on it waits for the image.</summary>
    public void Ready(string prompt)
    {
        var at = Now;
        lock (_lock)
        {
            _ready.Add((prompt, at));
        }
    }

    /// <summary>Records an attempt the provider accepted, and returns its number for <see cref="Ended"/>.</summary>
    public int Accepted(string prompt, TimeSpan at)
    {
        lock (_lock)
        {
            _attempts.Add(new ImageAttempt(prompt, at, Accepted: true, RetryAfter: TimeSpan.Zero, Ended: null));
            return _attempts.Count - 1;
        }
    }

    /// <summary>Records an attempt the provider refused with a 429.</summary>
    public void Refused(string prompt, TimeSpan at, TimeSpan retryAfter)
    {
        lock (_lock)
        {
            _attempts.Add(new ImageAttempt(prompt, at, Accepted: false, retryAfter, Ended: null));
        }
    }

    /// <summary>Records that the accepted attempt <paramref name="attempt"/> completed (successfully or not).</summary>
    public void Ended(int attempt)
    {
        var at = Now;
        lock (_lock)
        {
            _attempts[attempt] = _attempts[attempt] with { Ended = at };
        }
    }

    /// <summary>Records that a lane gave up on its image (per-lane retry out of attempts): it stopped waiting.</summary>
    public void GaveUp(string prompt)
    {
        var at = Now;
        lock (_lock)
        {
            _gaveUp.Add((prompt, at));
        }
    }

    /// <summary>Gets every image call of the run, matched by prompt in order.</summary>
    public ImageCalls Calls()
    {
        lock (_lock)
        {
            return ImageCalls.Match(_ready, _attempts, _gaveUp);
        }
    }
}

/// <summary>One attempt the image provider saw.</summary>
/// <param name="Prompt">The image prompt.</param>
/// <param name="At">When the provider was called; for an accepted call, when it took its token.</param>
/// <param name="Accepted">Whether the provider accepted it; otherwise it answered 429 at once.</param>
/// <param name="RetryAfter">For a refusal, the <c>Retry-After</c> it carried; otherwise zero.</param>
/// <param name="Ended">For an accepted call, when it completed, or <see langword="null"/> if it never did.</param>
internal readonly record struct ImageAttempt(string Prompt, TimeSpan At, bool Accepted, TimeSpan RetryAfter, TimeSpan? Ended);
