namespace StreamingBeam.Benchmarks.Limits;

/// <summary>Rounds every refusal's <c>Retry-After</c> up to whole seconds, as the HTTP <c>Retry-After</c> header states it
/// (providers that send no <c>retry-after-ms</c> or reset header say "1" when the next token is 80 ms away).</summary>
internal sealed class WholeSecondRetryAfter(IImageGenerator inner) : DelegatingImageGenerator(inner)
{
    public override Task<GeneratedImage> GenerateAsync(string prompt, CancellationToken cancellationToken = default)
    {
        var task = base.GenerateAsync(prompt, cancellationToken);
        return task.IsFaulted && task.Exception!.InnerException is ProviderRateLimitedException { RetryAfter: { } after } refusal
            ? Task.FromException<GeneratedImage>(new ProviderRateLimitedException(refusal.Message, Round(after), refusal) { Operation = refusal.Operation })
            : task;
    }

    public static TimeSpan Round(TimeSpan retryAfter) => TimeSpan.FromSeconds(Math.Ceiling(retryAfter.TotalSeconds));
}
