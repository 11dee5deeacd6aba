namespace StreamingBeam.Benchmarks.Limits;

/// <summary>A run's image calls, each matched with the attempt the provider accepted, and every refusal.</summary>
internal sealed class ImageCalls
{
    private ImageCalls(IReadOnlyList<ImageCall> calls, IReadOnlyList<ImageAttempt> refusals, IReadOnlyList<TimeSpan> accepted)
    {
        Calls = calls;
        Refusals = refusals;
        AcceptedAt = accepted;
    }

    /// <summary>Gets one entry per image a lane was ready to ask for, in order of readiness.</summary>
    public IReadOnlyList<ImageCall> Calls { get; }

    /// <summary>Gets every attempt the provider refused (a 429), in time order.</summary>
    public IReadOnlyList<ImageAttempt> Refusals { get; }

    /// <summary>Gets when the provider accepted each call (took a token), in time order.</summary>
    public IReadOnlyList<TimeSpan> AcceptedAt { get; }

    /// <summary>Matches each ready image with the next accepted attempt (or give-up) of the same prompt.</summary>
    public static ImageCalls Match(
        IEnumerable<(string Prompt, TimeSpan At)> ready, IEnumerable<ImageAttempt> attempts, IEnumerable<(string Prompt, TimeSpan At)> gaveUp)
    {
        var attemptList = attempts.OrderBy(a => a.At).ToList();
        var accepted = attemptList.Where(a => a.Accepted).GroupBy(a => a.Prompt, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new Queue<ImageAttempt>(g), StringComparer.Ordinal);
        var given = gaveUp.OrderBy(g => g.At).GroupBy(g => g.Prompt, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new Queue<TimeSpan>(g.Select(x => x.At)), StringComparer.Ordinal);

        var calls = new List<ImageCall>();
        foreach (var (prompt, at) in ready.OrderBy(r => r.At))
        {
            if (accepted.TryGetValue(prompt, out var queue) && queue.TryDequeue(out var attempt))
            {
                calls.Add(new ImageCall(prompt, at, attempt.At, attempt.Ended, null));
            }
            else
            {
                calls.Add(new ImageCall(prompt, at, null, null, given.TryGetValue(prompt, out var g) && g.TryDequeue(out var t) ? t : null));
            }
        }

        return new ImageCalls(
            calls,
            attemptList.Where(a => !a.Accepted).ToArray(),
            attemptList.Where(a => a.Accepted).Select(a => a.At).ToArray());
    }

    /// <summary>Gets the intervals during which at least one image was waiting: ready, not yet accepted by the provider
    /// (and not given up on).</summary>
    public IReadOnlyList<TimeInterval> Waiting() =>
        TimeInterval.Union(Calls.Select(c => new TimeInterval(c.Ready, c.Accepted ?? c.GaveUp ?? c.Ready)));
}

/// <summary>One image a lane needed.</summary>
/// <param name="Prompt">The image prompt.</param>
/// <param name="Ready">When the lane had the prompt (its combine answered).</param>
/// <param name="Accepted">When the provider accepted the call, or <see langword="null"/> if it never did.</param>
/// <param name="Ended">When the accepted call completed.</param>
/// <param name="GaveUp">When the lane gave up, if it did.</param>
internal readonly record struct ImageCall(string Prompt, TimeSpan Ready, TimeSpan? Accepted, TimeSpan? Ended, TimeSpan? GaveUp);
