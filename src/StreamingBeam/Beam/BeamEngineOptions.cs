using System.Threading.RateLimiting;
using StreamingBeam.Validation;

namespace StreamingBeam;

/// <summary>Settings of a <see cref="BeamSearchEngine"/> shared by every search it runs: default search options and
/// per-provider concurrency limits.</summary>
public sealed class BeamEngineOptions
{
    /// <summary>Gets or sets the options of a search started without its own.</summary>
    /// <value>The default value is a new <see cref="BeamSearchOptions"/> with its documented defaults.</value>
    public BeamSearchOptions DefaultSearch { get; set; } = new();

    /// <summary>Gets or sets the most language-model calls (expand, combine, critique, refine) in flight at once across every
    /// search of the engine, or <see langword="null"/> for no limit. Waiting calls are served first come, first served.</summary>
    /// <value>The default value is <see langword="null"/>. Otherwise at least 1.</value>
    public int? MaxConcurrentLlmCalls { get; set; }

    /// <summary>Gets or sets the most image generations in flight at once across every search of the engine, or
    /// <see langword="null"/> for no limit. Waiting calls are served first come, first served.</summary>
    /// <value>The default value is <see langword="null"/>. Otherwise at least 1.</value>
    public int? MaxConcurrentImageGenerations { get; set; }

    /// <summary>Gets or sets the most scoring calls (alignment and aesthetic) in flight at once across every search of the
    /// engine, or <see langword="null"/> for no limit. Waiting calls are served first come, first served.</summary>
    /// <value>The default value is <see langword="null"/>. Otherwise at least 1.</value>
    public int? MaxConcurrentScoringCalls { get; set; }

    /// <summary>Gets or sets the rate limit of language-model calls across every search of the engine, or
    /// <see langword="null"/> for none: for example a <see cref="TokenBucketRateLimiter"/> for requests per minute, or a
    /// Redis-backed limiter to share one API key's quota between hosts.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    /// <remarks>Each call acquires one permit, after its <see cref="MaxConcurrentLlmCalls"/> slot and before its stage
    /// timeout starts; waiting is canceled with the search. Configure the limiter's queue oldest first
    /// (<see cref="QueueProcessingOrder.OldestFirst"/>) and long enough for the engine's waiting calls: a lease that is
    /// refused fails the call. The engine never disposes the limiter: it belongs to the caller. See docs/rate-limits.md.</remarks>
    [System.Text.Json.Serialization.JsonIgnore]
    public RateLimiter? LlmRateLimiter { get; set; }

    /// <summary>Gets or sets the rate limit of image generations across every search of the engine, or
    /// <see langword="null"/> for none.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    /// <remarks>As <see cref="LlmRateLimiter"/>, after the <see cref="MaxConcurrentImageGenerations"/> slot.</remarks>
    [System.Text.Json.Serialization.JsonIgnore]
    public RateLimiter? ImageRateLimiter { get; set; }

    /// <summary>Gets or sets the rate limit of scoring calls (alignment and aesthetic) across every search of the engine,
    /// or <see langword="null"/> for none.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    /// <remarks>As <see cref="LlmRateLimiter"/>, after the <see cref="MaxConcurrentScoringCalls"/> slot.</remarks>
    [System.Text.Json.Serialization.JsonIgnore]
    public RateLimiter? ScoringRateLimiter { get; set; }

    /// <summary>Gets or sets how long a search that is ending waits for provider calls that did not stop when their token
    /// was canceled (on cancellation, or after <see cref="BeamSearchOptions.StageTimeout"/>).</summary>
    /// <value>The default value is 5 seconds, on the engine's <see cref="TimeProvider"/>. Zero or more.</value>
    /// <remarks>A provider that honours its token ends well within it, so when the stream ends nothing of the search
    /// is still running. A provider that ignores its token cannot hold the stream open longer than this: its call is
    /// abandoned, its permit was already given back, and whatever it returns later is discarded (its exception is
    /// observed). Event 1012 is logged at Warning when that happens.</remarks>
    public TimeSpan AbandonedCallGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Returns every rule the options break, each naming the option; empty when they are valid.</summary>
    /// <returns>The broken rules, each in the form <c>BeamEngineOptions.{Option} must be {rule}; it was {value}.</c></returns>
    public IReadOnlyList<string> GetValidationErrors()
    {
        const string prefix = nameof(BeamEngineOptions) + ".";
        var errors = new ValidationErrors(prefix);
        if (DefaultSearch is null)
        {
            errors.Add(nameof(DefaultSearch), "a BeamSearchOptions instance", null);
        }
        else
        {
            errors.AddRange(DefaultSearch.GetValidationErrors(prefix + nameof(DefaultSearch) + "."));
        }

        CheckLimit(nameof(MaxConcurrentLlmCalls), MaxConcurrentLlmCalls);
        CheckLimit(nameof(MaxConcurrentImageGenerations), MaxConcurrentImageGenerations);
        CheckLimit(nameof(MaxConcurrentScoringCalls), MaxConcurrentScoringCalls);
        errors.AddIfBadDelay(nameof(AbandonedCallGrace), AbandonedCallGrace, zeroAllowed: true, string.Empty);
        return errors.Errors;

        void CheckLimit(string name, int? value)
        {
            if (value is < 1)
            {
                errors.Add(name, "at least 1, or null for no limit", value);
            }
        }
    }

    /// <summary>Throws when the options break any rule.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every broken rule.</exception>
    public void Validate() => ValidationErrors.ThrowIfAny(GetValidationErrors(), "beam engine options", "options");
}
