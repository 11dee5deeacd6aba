using System.Threading.RateLimiting;
using StreamingBeam.Validation;

namespace StreamingBeam;

/// <summary>How an extraction run treats one extractor: priority, tier, timeout, dependencies, cost and weight.</summary>
/// <remarks>The engine copies these values when it is built; changing the object afterwards has no effect.</remarks>
public sealed class ExtractorOptions
{
    /// <summary>Gets or sets the extractor's priority. When more extractors are ready than
    /// <see cref="ExtractionRunOptions.MaxConcurrency"/> allows, higher priorities start first and registration order
    /// breaks ties.</summary>
    /// <value>The default value is 0.</value>
    public int Priority { get; set; }

    /// <summary>Gets or sets the extractor's tier for <see cref="ExtractionMode.Tiered"/> runs: lower tiers run
    /// first. Ignored in <see cref="ExtractionMode.Atomic"/> runs.</summary>
    /// <value>The default value is 0.</value>
    public int Tier { get; set; }

    /// <summary>Gets or sets how long the extractor may run before its call is canceled and it is reported as
    /// <see cref="ExtractionStatus.TimedOut"/>, or <see langword="null"/> for no limit. Measured with the engine's
    /// <see cref="TimeProvider"/>.</summary>
    /// <value>The default value is <see langword="null"/>. When set, it must be positive.</value>
    /// <remarks>The timed-out update is delivered when the timeout fires, and the extractor's concurrency slot is
    /// freed then, even if the extractor ignores its token; the run still waits for such a call to end before its
    /// stream ends.</remarks>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Gets or sets a value indicating whether the run needs this extractor. A required extractor that fails,
    /// times out, or is skipped for any reason but a false <see cref="Condition"/> ends the run with a
    /// <see cref="RequiredExtractorFailedException"/>, after the updates that arrived before it.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Required { get; set; }

    /// <summary>Gets or sets what calling the extractor is expected to cost, charged against
    /// <see cref="ExtractionRunOptions.Budget"/> when it starts.</summary>
    /// <value>The default value is 0. It must not be negative.</value>
    public decimal Cost { get; set; }

    /// <summary>Gets or sets how much the extractor's values count when they conflict with another extractor's in a
    /// <see cref="TokenDocument"/>: the higher weight wins.</summary>
    /// <value>The default value is 1. It must be a finite number.</value>
    public double Weight { get; set; } = 1.0;

    /// <summary>Gets or sets a rate limit this extractor's calls acquire one permit of, across every run of the engine,
    /// or <see langword="null"/> for none: for example the quota of the API the extractor calls.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    /// <remarks>Acquired before the run's <see cref="ExtractionRunOptions.RateLimiter"/> and before
    /// <see cref="Timeout"/> starts. The engine never disposes it.</remarks>
    [System.Text.Json.Serialization.JsonIgnore]
    public RateLimiter? RateLimiter { get; set; }

    /// <summary>Gets the names of the extractors whose results this one needs. It starts the moment they are all
    /// done, reads their tokens with <see cref="ExtractionContext.GetDependencyResult"/>, and is skipped if any of
    /// them did not succeed.</summary>
    /// <value>Empty by default. Every name must be a registered extractor; cycles are rejected.</value>
    public IList<string> DependsOn { get; } = new List<string>();

    /// <summary>Gets or sets a condition checked once the dependencies have succeeded, just before the extractor
    /// would start; when it returns <see langword="false"/> the extractor is skipped
    /// (<see cref="ExtractionSkipReason.ConditionFalse"/>). If it throws, the extractor fails with that error.</summary>
    /// <value>The default value is <see langword="null"/>: always run.</value>
    /// <remarks>The condition gets the context the extractor would get, so it can read the dependencies' tokens
    /// with <see cref="ExtractionContext.GetDependencyResult"/>. Keep it quick: it runs on the run's scheduling path.</remarks>
    public Func<ExtractionContext, bool>? Condition { get; set; }

    internal void Validate(string name, List<string> errors)
    {
        var delays = new ValidationErrors($"Extractor '{name}': ExtractorOptions.");
        delays.AddIfBadDelay(nameof(Timeout), Timeout, zeroAllowed: false, ", or null for no limit");
        errors.AddRange(delays.Errors);

        if (Cost < 0m)
        {
            errors.Add($"Extractor '{name}': ExtractorOptions.Cost must not be negative; it was {Cost}.");
        }

        if (!double.IsFinite(Weight))
        {
            errors.Add($"Extractor '{name}': ExtractorOptions.Weight must be a finite number; it was {Weight}.");
        }
    }
}
