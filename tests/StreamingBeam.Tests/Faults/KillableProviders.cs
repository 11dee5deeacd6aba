using System.Globalization;

namespace StreamingBeam.Tests.Faults;

/// <summary>The beam providers of the durability tests: deterministic <see cref="FaultyBeamProviders"/> that report usage
/// on every answer, and, with a <see cref="Turnstile"/>, answer one call at a time, each only after the journal saved
/// the outcome of the call before it. Killing the turnstile is the crash: no call answers any more.</summary>
internal sealed class KillableProviders(FaultyBeamProviders inner, Turnstile? turnstile = null) : ILlmClient, IImageGenerator, IVisionScorer
{
    public FaultyBeamProviders Inner { get; } = inner;

    public Task<LlmResponse> ExpandAsync(ExpandRequest request, CancellationToken cancellationToken = default) =>
        TextAsync(ct => Inner.ExpandAsync(request, ct), cancellationToken);

    public Task<LlmResponse> CombineAsync(CombineRequest request, CancellationToken cancellationToken = default) =>
        TextAsync(ct => Inner.CombineAsync(request, ct), cancellationToken);

    public Task<LlmResponse> CritiqueAsync(CritiqueRequest request, CancellationToken cancellationToken = default) =>
        TextAsync(ct => Inner.CritiqueAsync(request, ct), cancellationToken);

    public Task<LlmResponse> RefineAsync(RefineRequest request, CancellationToken cancellationToken = default) =>
        TextAsync(ct => Inner.RefineAsync(request, ct), cancellationToken);

    public Task<GeneratedImage> GenerateAsync(string prompt, CancellationToken cancellationToken = default) =>
        PassAsync(ct => Inner.GenerateAsync(prompt, ct), cancellationToken);

    public Task<VisionScore> ScoreAlignmentAsync(GeneratedImage image, string prompt, CancellationToken cancellationToken = default) =>
        ScoreAsync(ct => Inner.ScoreAlignmentAsync(image, prompt, ct), cancellationToken);

    public Task<VisionScore> ScoreAestheticAsync(GeneratedImage image, CancellationToken cancellationToken = default) =>
        ScoreAsync(ct => Inner.ScoreAestheticAsync(image, ct), cancellationToken);

    private async Task<LlmResponse> TextAsync(Func<CancellationToken, Task<LlmResponse>> call, CancellationToken cancellationToken)
    {
        var response = await PassAsync(call, cancellationToken);

        // Usage that depends on the answer only, so that totals can be compared across runs.
        return response?.Text is { } text
            ? new LlmResponse(text, new ProviderUsage(text.Length, 7, 0, 0.001m * text.Length))
            : response!;
    }

    private async Task<VisionScore> ScoreAsync(Func<CancellationToken, Task<VisionScore>> call, CancellationToken cancellationToken)
    {
        var score = await PassAsync(call, cancellationToken);
        return score is null ? score! : new VisionScore(score.Score, score.Analysis, new ProviderUsage(100, 3, 0, 0.0002m));
    }

    private async Task<T> PassAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        if (turnstile is not null)
        {
            await turnstile.EnterAsync(cancellationToken);
        }

        return await call(cancellationToken);
    }
}

/// <summary>Lets provider calls answer one at a time, each once the journal saved every step recorded before it, and
/// stops everything after the k-th saved step: a crash at a precise point, with nothing in flight that was paid for.</summary>
/// <remarks>Among the calls waiting, a seeded draw picks the next one, so runs interleave differently.</remarks>
internal sealed class Turnstile(int killAfterSteps, int seed)
{
    private readonly object _lock = new();
    private readonly List<TaskCompletionSource> _waiting = [];
    private readonly Random _random = new(seed);
    private readonly TaskCompletionSource _killed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _admitted;
    private int _saved;

    /// <summary>Gets a task that completes when the k-th step is saved: nothing answers after that.</summary>
    public Task Killed => _killed.Task;

    public int Admitted
    {
        get
        {
            lock (_lock)
            {
                return _admitted;
            }
        }
    }

    public async Task EnterAsync(CancellationToken cancellationToken)
    {
        var admission = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _waiting.Add(admission);
            AdmitLocked();
        }

        try
        {
            await admission.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            lock (_lock)
            {
                _waiting.Remove(admission);
            }

            throw;
        }
    }

    /// <summary>Gets how many of <paramref name="steps"/> step records about to be saved may be kept: all of them, or
    /// those up to the k-th step (the crash comes right after it).</summary>
    public int Allowance(int steps)
    {
        lock (_lock)
        {
            return _killed.Task.IsCompleted ? 0 : Math.Min(steps, killAfterSteps - _saved);
        }
    }

    /// <summary>The store saved <paramref name="steps"/> more step records: the next call may answer, or, at the k-th
    /// step, nothing may any more.</summary>
    public void Saved(int steps)
    {
        lock (_lock)
        {
            _saved += steps;
            if (_saved >= killAfterSteps)
            {
                _killed.TrySetResult();
            }
            else
            {
                AdmitLocked();
            }
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"killed after {killAfterSteps} steps");

    private void AdmitLocked()
    {
        if (_killed.Task.IsCompleted || _waiting.Count == 0 || _saved != _admitted)
        {
            return;
        }

        var next = _waiting[_random.Next(_waiting.Count)];
        _waiting.Remove(next);
        _admitted++;
        next.TrySetResult();
    }
}
