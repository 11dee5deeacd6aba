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
