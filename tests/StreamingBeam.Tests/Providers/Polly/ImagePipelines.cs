using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace StreamingBeam.Tests.Providers.Polly;

/// <summary>docs/polly.md's pipeline with the test's clock and no retry delay (so nothing waits): a retry outside a
/// circuit breaker, both handling transient failures other than rate limits.</summary>
internal static class ImagePipelines
{
    public static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(15);

    /// <summary>What Polly may handle: transient failures, never a rate limit (the engine's shared cooldown owns those).</summary>
    public static PredicateBuilder<object> Transient() =>
        new PredicateBuilder().Handle<Exception>(e => e is not ProviderRateLimitedException && ProviderFailures.IsTransient(e));

    public static ResiliencePipeline RetryThenBreaker(
        TimeProvider time, CircuitBreakerStateProvider breaker, int retries = 2, int minimumThroughput = 2) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = retries, Delay = TimeSpan.Zero, ShouldHandle = Transient() })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = minimumThroughput,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = BreakDuration,
                StateProvider = breaker,
                ShouldHandle = Transient(),
            })
            .Build();

    public static ResiliencePipeline RetryOnly(int retries) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = retries, Delay = TimeSpan.Zero, ShouldHandle = Transient() })
            .Build();
}
