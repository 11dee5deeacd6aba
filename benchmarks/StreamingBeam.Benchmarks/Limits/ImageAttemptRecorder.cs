namespace StreamingBeam.Benchmarks.Limits;

/// <summary>Sits right in front of the image provider and records every attempt it sees: accepted (and when it ended)
/// or refused with a 429 and its <c>Retry-After</c>. The simulated provider refuses synchronously, so a call that
/// comes back faulted with <see cref="ProviderRateLimitedException"/> at once was refused, and any other was accepted
/// (it took its token when called).</summary>
internal sealed class ImageAttemptRecorder(IImageGenerator inner, ImageCallLog log) : DelegatingImageGenerator(inner)
{
    public override Task<GeneratedImage> GenerateAsync(string prompt, CancellationToken cancellationToken = default)
    {
        var at = log.Now;
        var task = base.GenerateAsync(prompt, cancellationToken);
        if (task.IsFaulted && task.Exception!.InnerException is ProviderRateLimitedException refusal)
        {
            log.Refused(prompt, at, refusal.RetryAfter ?? TimeSpan.Zero);
            return task;
        }

        return Track(task, log.Accepted(prompt, at));
    }

    private async Task<GeneratedImage> Track(Task<GeneratedImage> task, int attempt)
    {
        try
        {
            return await task;
        }
        finally
        {
            log.Ended(attempt);
        }
    }
}
