namespace StreamingBeam.Extraction.Internal;

/// <summary>A run's snapshot of <see cref="ExtractionRunOptions"/>, so later changes to the options object cannot
/// reach a run in progress.</summary>
internal readonly record struct ExtractionRunSettings(
    ExtractionMode Mode,
    int? MaxConcurrency,
    decimal? Budget,
    Func<ExtractionUpdate, bool>? StopWhen,
    TimeSpan CoalesceWindow,
    TimeSpan AbandonedCallGrace,
    System.Threading.RateLimiting.RateLimiter? RateLimiter,
    TimeSpan MaxRateLimitWait)
{
    public static ExtractionRunSettings From(ExtractionRunOptions options) =>
        new(options.Mode, options.MaxConcurrency, options.Budget, options.StopWhen, options.CoalesceWindow, options.AbandonedCallGrace,
            options.RateLimiter, options.MaxRateLimitWait);
}
