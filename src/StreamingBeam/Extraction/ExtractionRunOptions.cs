using System.Threading.RateLimiting;
using StreamingBeam.Validation;

namespace StreamingBeam;

/// <summary>How one extraction run schedules and delivers: mode, concurrency limit, budget, stop condition and
/// coalescing.</summary>
/// <remarks>A run reads these values once, when it starts. Pass an instance to
/// <see cref="ExtractionEngine.ExtractStreamingAsync"/> to override the engine's defaults for one run (the instance replaces the
/// defaults as a whole).</remarks>
public sealed class ExtractionRunOptions
{
    /// <summary>Gets or sets how the run schedules and delivers.</summary>
    /// <value>The default value is <see cref="ExtractionMode.Atomic"/>.</value>
    public ExtractionMode Mode { get; set; } = ExtractionMode.Atomic;

    /// <summary>Gets or sets how many extractors may run at once, or <see langword="null"/> for no limit. Under a
    /// limit, higher <see cref="ExtractorOptions.Priority"/> starts first.</summary>
    /// <value>The default value is <see langword="null"/>. When set, it must be at least 1.</value>
    public int? MaxConcurrency { get; set; }

    /// <summary>Gets or sets a rate limit that every extractor call of the run acquires one permit of, or
    /// <see langword="null"/> for none. Give several runs the same instance to share one quota between them.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    /// <remarks>The permit is acquired after the extractor's own <see cref="ExtractorOptions.RateLimiter"/> and before
    /// its <see cref="ExtractorOptions.Timeout"/> starts; waiting is canceled with the run. A refused lease fails the
    /// extractor. The run never disposes the limiter. See docs/rate-limits.md.</remarks>
    [System.Text.Json.Serialization.JsonIgnore]
    public RateLimiter? RateLimiter { get; set; }

    /// <summary>Gets or sets how long one extractor call may wait in total for rate-limit cooldowns
    /// (<see cref="ProviderRateLimitedException"/>) before it fails.</summary>
    /// <value>The default value is 5 minutes. Zero or more; zero fails an extractor at its first rate limit.</value>
    /// <remarks>A rate-limited extractor pauses (for every run of the engine) until the provider's <c>Retry-After</c>
    /// has passed and is then called again; it is not a failure until this much time has passed since its first refusal.</remarks>
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the most the run may spend, as the sum of the <see cref="ExtractorOptions.Cost"/> of the
    /// extractors it calls, or <see langword="null"/> for no budget. An extractor whose cost would take the total past
    /// the budget is skipped (<see cref="ExtractionSkipReason.BudgetExceeded"/>); extractors are charged in the order
    /// they start.</summary>
    /// <value>The default value is <see langword="null"/>. When set, it must not be negative.</value>
    public decimal? Budget { get; set; }

    /// <summary>Gets or sets a condition checked on every delivered update, in delivery order; when it returns
    /// <see langword="true"/> that update is delivered, the extractors still running are canceled and awaited, and the
    /// stream ends normally.</summary>
    /// <value>The default value is <see langword="null"/>: run to the end.</value>
    public Func<ExtractionUpdate, bool>? StopWhen { get; set; }

    /// <summary>Gets or sets how long to gather updates into one batch in <see cref="ExtractionMode.Atomic"/> runs,
    /// or <see cref="TimeSpan.Zero"/> to deliver each update on its own.</summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>. It must not be negative.</value>
    /// <remarks>
    /// When positive, an update that arrives at least this long after the previous delivery (the first update of a
    /// run always does) is delivered at once, together with any others already waiting. An update that arrives sooner
    /// is held until this long after the previous delivery, and every update that arrives meanwhile joins its batch;
    /// the wait ends early when the run's last update arrives. Batches are visible through
    /// <see cref="ExtractionEngine.ExtractBatchesStreamingAsync"/>; <see cref="ExtractionEngine.ExtractStreamingAsync"/> yields a batch's updates
    /// one after another. Ignored in <see cref="ExtractionMode.Tiered"/> runs, whose batches are the tiers.
    /// </remarks>
    public TimeSpan CoalesceWindow { get; set; }

    /// <summary>Gets or sets how long a run that is ending waits for extractor calls that did not stop when their token
    /// was canceled (on cancellation, a stop, or after <see cref="ExtractorOptions.Timeout"/>).</summary>
    /// <value>The default value is 5 seconds, on the engine's <see cref="TimeProvider"/>. Zero or more.</value>
    /// <remarks>An extractor that honours its token ends well within it, so when the stream ends nothing of the run is
    /// still running. One that ignores its token cannot hold the stream open longer than this: its call is abandoned,
    /// what it returns later is discarded and its exception observed; event 4031 is logged at Warning.</remarks>
    public TimeSpan AbandonedCallGrace { get; set; } = TimeSpan.FromSeconds(5);

    internal void Validate(List<string> errors)
    {
        if (!Enum.IsDefined(Mode))
        {
            errors.Add($"ExtractionRunOptions.Mode must be Atomic or Tiered; it was {(int)Mode}.");
        }

        if (MaxConcurrency is < 1)
        {
            errors.Add($"ExtractionRunOptions.MaxConcurrency must be at least 1, or null for no limit; it was {MaxConcurrency}.");
        }

        if (Budget is < 0m)
        {
            errors.Add($"ExtractionRunOptions.Budget must not be negative, or null for no budget; it was {Budget}.");
        }

        var delays = new ValidationErrors("ExtractionRunOptions.");
        delays.AddIfBadDelay(nameof(AbandonedCallGrace), AbandonedCallGrace, zeroAllowed: true, string.Empty);
        delays.AddIfBadDelay(nameof(CoalesceWindow), CoalesceWindow, zeroAllowed: true, string.Empty);
        delays.AddIfBadDelay(nameof(MaxRateLimitWait), MaxRateLimitWait, zeroAllowed: true, string.Empty);
        errors.AddRange(delays.Errors);
    }
}
