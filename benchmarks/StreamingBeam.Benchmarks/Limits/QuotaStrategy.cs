namespace StreamingBeam.Benchmarks.Limits;

/// <summary>How a search deals with the image quota.</summary>
internal enum QuotaStrategy
{
    /// <summary>(a) The engine with a client-side <c>TokenBucketRateLimiter</c> matching the quota as its image limiter.</summary>
    Limiter,

    /// <summary>(a') As (a), with the limiter's burst one below the provider's: the client's bucket refills on its own
    /// timer's ticks, the provider's continuously from its first use, so a limiter as large as the quota can run a token
    /// ahead of it; one token less keeps it behind.</summary>
    LimiterBelowBurst,

    /// <summary>(b) The engine with no limiter: every 429 goes to its shared cooldown.</summary>
    Cooldown,

    /// <summary>(c) Per-lane retry with exponential back-off and jitter, 3 retries (the common default); the engine never sees a 429.</summary>
    PerLaneRetry,

    /// <summary>(c') Per-lane retry as (c), retrying until the call is accepted.</summary>
    PerLaneRetryForever,

    /// <summary>(d) The source design's fixed caps: at most 3 LLM calls, 2 images and 3 scores at once; 429s the caps do
    /// not prevent go to the engine's cooldown.</summary>
    FixedCaps,
}
