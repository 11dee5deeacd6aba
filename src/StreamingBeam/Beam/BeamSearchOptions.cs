using StreamingBeam.Validation;

namespace StreamingBeam;

/// <summary>The knobs of one beam search: its width, depth, scoring and stop rules.</summary>
/// <remarks>
/// Options are validated when a search starts; an invalid set throws <see cref="ArgumentException"/> whose message
/// lists every broken rule, each naming the option. The search takes a snapshot, so changing the object afterwards
/// does not affect a search already running.
/// </remarks>
public sealed class BeamSearchOptions
{
    /// <summary>The widest beam a search accepts.</summary>
    public const int MaxBeamWidth = 100_000;

    /// <summary>Gets or sets N, the number of candidates in each iteration.</summary>
    /// <value>The default value is 9. From 1 to <see cref="MaxBeamWidth"/>.</value>
    public int BeamWidth { get; set; } = 9;

    /// <summary>Gets or sets M, the number of candidates kept after each ranking to become parents.</summary>
    /// <value>The default value is 3. From 1 to <see cref="BeamWidth"/>.</value>
    public int KeepTop { get; set; } = 3;

    /// <summary>Gets or sets the number of iterations, counting the first (expansion) iteration.</summary>
    /// <value>The default value is 3. From 1 to 1000.</value>
    public int MaxIterations { get; set; } = 3;

    /// <summary>Gets or sets the weight of alignment in a candidate's total:
    /// <c>Total = Alpha * Alignment + (1 - Alpha) * Aesthetic</c>.</summary>
    /// <value>The default value is 0.7. From 0 to 1.</value>
    public double Alpha { get; set; } = 0.7;

    /// <summary>Gets or sets the sampling temperature asked of the language model when it expands and refines prompts.</summary>
    /// <value>The default value is 0.7. From 0 to 2.</value>
    public double Temperature { get; set; } = 0.7;

    /// <summary>Gets or sets which dimension each iteration after the first refines.</summary>
    /// <value>The default value is <see cref="DimensionSchedule.WhatFirst"/>: content, then style, alternating.</value>
    public DimensionSchedule DimensionSchedule { get; set; } = DimensionSchedule.WhatFirst;

    /// <summary>Gets or sets which candidates compete in the rankings after the first.</summary>
    /// <value>The default value is <see cref="RankingPool.ChildrenAndParents"/>.</value>
    public RankingPool RankingPool { get; set; } = RankingPool.ChildrenAndParents;

    /// <summary>Gets or sets what images are judged against for alignment.</summary>
    /// <value>The default value is <see cref="AlignmentTarget.UserPrompt"/>.</value>
    public AlignmentTarget AlignmentTarget { get; set; } = AlignmentTarget.UserPrompt;

    /// <summary>Gets or sets a total score that ends the search as soon as the best candidate reaches it, or <see langword="null"/>.</summary>
    /// <value>The default value is <see langword="null"/>: no target. Otherwise greater than 0 and at most 1.</value>
    public double? TargetScore { get; set; }

    /// <summary>Gets or sets the smallest improvement of the best total that counts as progress, or <see langword="null"/>
    /// to never stop for lack of progress.</summary>
    /// <value>The default value is <see langword="null"/>. Otherwise at least 0.</value>
    public double? ConvergenceEpsilon { get; set; }

    /// <summary>Gets or sets over how many iterations the best total must improve by <see cref="ConvergenceEpsilon"/>.</summary>
    /// <value>The default value is 1. At least 1.</value>
    public int ConvergencePatience { get; set; } = 1;

    /// <summary>Gets or sets the most images a search may generate, or <see langword="null"/> for no limit.
    /// An iteration that could exceed it is not started.</summary>
    /// <value>The default value is <see langword="null"/>. Otherwise at least <see cref="BeamWidth"/>.</value>
    public int? MaxImages { get; set; }

    /// <summary>Gets or sets the most a search may spend, as reported by providers in <see cref="ProviderUsage.Cost"/>,
    /// or <see langword="null"/> for no limit.</summary>
    /// <value>The default value is <see langword="null"/>. Otherwise greater than 0.</value>
    /// <remarks>An iteration is not started when the spending so far plus the cost of the last iteration would exceed it.</remarks>
    public decimal? MaxCost { get; set; }

    /// <summary>Gets or sets the share of an iteration's candidates that may fail before the search stops with
    /// <see cref="BeamStopReason.TooManyFailures"/>. The search stops when strictly more fail.</summary>
    /// <value>The default value is 0.5. From 0 to 1; 1 never stops for failures.</value>
    public double MaxFailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets how long one provider call may take before it is canceled and counted as failed with a
    /// <see cref="TimeoutException"/>, or <see langword="null"/> for no limit.</summary>
    /// <value>The default value is <see langword="null"/>. Otherwise greater than zero.</value>
    /// <remarks>Measured with the engine's <see cref="TimeProvider"/>, from when the call gets its concurrency slot.</remarks>
    public TimeSpan? StageTimeout { get; set; }

    /// <summary>Gets or sets whether a candidate whose place among the survivors is already certain starts its critique
    /// and children at once, instead of at the ranking barrier.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    /// <remarks>
    /// <para>
    /// A candidate's survival is certain when fewer than <see cref="KeepTop"/> other candidates of the ranking pool are
    /// still running or already rank above it: whatever the stragglers score, it stays in the top M. Its first
    /// <c>BeamWidth / KeepTop</c> children then start; children that depend on its final rank (the remainder when N is
    /// not a multiple of M, or the extra share when parents failed) start at the ranking.
    /// </para>
    /// <para>
    /// The search's outcome is the same with the option on or off: the same survivors, the same prompts and the same
    /// result. Only when work starts changes, so events of iteration t + 1 may arrive before the
    /// <see cref="IterationCompletedEvent"/> of iteration t (see <see cref="BeamEvent"/>). Work is started early only when
    /// the next iteration is certain to run, so no spending is ever wasted: never in the last iteration, never while
    /// <see cref="TargetScore"/> or <see cref="MaxCost"/> is set (either could still end the search at this ranking),
    /// and not while <see cref="ConvergenceEpsilon"/>, <see cref="MaxImages"/> or <see cref="MaxFailureRatio"/> could.
    /// </para>
    /// </remarks>
    public bool PromoteCertainSurvivors { get; set; } = true;

    /// <summary>Gets or sets how many more times a lane asks the language model for a dimension when its prompts repeat
    /// a candidate the search already has, before it gives up its slot.</summary>
    /// <value>The default value is 2. Between 0 and 10.</value>
    /// <remarks>
    /// No two candidates of a search with the same WHAT and HOW (or the same combined prompt) are both rendered: an image
    /// is the expensive call, and the same prompt twice would also take two places in the ranking with one image. A lane
    /// whose expansion or refinement repeats a pair another candidate claimed first asks again
    /// (<see cref="RefineRequest.Attempt"/>, <see cref="RefineRequest.Avoid"/>), which costs one more language-model call;
    /// if the answer still repeats after this many extra attempts, or the combined prompt repeats one already claimed,
    /// the lane renders nothing and its slot stays empty (<see cref="CandidateSkippedEvent"/>): that iteration ranks
    /// fewer candidates, which is neither a failure nor a reason to stop. No lane ever waits for another to decide.
    /// </remarks>
    public int MaxDuplicateRetries { get; set; } = 2;

    /// <summary>Gets or sets the id under which the search saves a checkpoint after every ranking, or
    /// <see langword="null"/> for no checkpoints. Needs an engine with an <see cref="IBeamCheckpointStore"/>.</summary>
    /// <value>The default value is <see langword="null"/>. Otherwise not empty; a store may restrict it further (the
    /// file store takes letters, digits, '-', '_' and '.').</value>
    /// <remarks>Resume an interrupted search with <see cref="IBeamSearchEngine.ResumeStreamingAsync"/> and this id.</remarks>
    public string? CheckpointId { get; set; }

    /// <summary>Gets or sets how failed provider calls are retried.</summary>
    /// <value>The default value retries nothing.</value>
    public BeamRetryOptions Retry { get; set; } = new();

    /// <summary>Returns every rule the options break, each naming the option; empty when they are valid.</summary>
    /// <returns>The broken rules, each in the form <c>BeamSearchOptions.{Option} must be {rule}; it was {value}.</c></returns>
    public IReadOnlyList<string> GetValidationErrors() => GetValidationErrors(nameof(BeamSearchOptions) + ".");

    /// <summary>Throws when the options break any rule.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every broken rule.</exception>
    public void Validate() => ValidationErrors.ThrowIfAny(GetValidationErrors(), "beam search options", "options");

    internal IReadOnlyList<string> GetValidationErrors(string prefix)
    {
        var errors = new ValidationErrors(prefix);
        if (BeamWidth is < 1 or > MaxBeamWidth)
        {
            errors.Add(nameof(BeamWidth), $"between 1 and {MaxBeamWidth}", BeamWidth);
        }

        if (KeepTop < 1 || KeepTop > Math.Max(BeamWidth, 1))
        {
            errors.Add(nameof(KeepTop), $"between 1 and BeamWidth ({BeamWidth})", KeepTop);
        }

        if (MaxIterations is < 1 or > 1000)
        {
            errors.Add(nameof(MaxIterations), "between 1 and 1000 (it counts the first iteration)", MaxIterations);
        }

        if (!(Alpha >= 0 && Alpha <= 1))
        {
            errors.Add(nameof(Alpha), "between 0 and 1", Alpha);
        }

        if (!(Temperature >= 0 && Temperature <= 2))
        {
            errors.Add(nameof(Temperature), "between 0 and 2", Temperature);
        }

        if (!Enum.IsDefined(DimensionSchedule))
        {
            errors.Add(nameof(DimensionSchedule), "a defined value", (int)DimensionSchedule);
        }

        if (!Enum.IsDefined(RankingPool))
        {
            errors.Add(nameof(RankingPool), "a defined value", (int)RankingPool);
        }

        if (!Enum.IsDefined(AlignmentTarget))
        {
            errors.Add(nameof(AlignmentTarget), "a defined value", (int)AlignmentTarget);
        }

        if (TargetScore is { } target && !(target > 0 && target <= 1))
        {
            errors.Add(nameof(TargetScore), "greater than 0 and at most 1, or null", target);
        }

        if (ConvergenceEpsilon is { } epsilon && !(epsilon >= 0))
        {
            errors.Add(nameof(ConvergenceEpsilon), "at least 0, or null", epsilon);
        }

        if (ConvergencePatience < 1)
        {
            errors.Add(nameof(ConvergencePatience), "at least 1", ConvergencePatience);
        }

        if (MaxImages is { } images && images < BeamWidth)
        {
            errors.Add(nameof(MaxImages), $"at least BeamWidth ({BeamWidth}), or no iteration could run", images);
        }

        if (MaxCost is { } cost && cost <= 0)
        {
            errors.Add(nameof(MaxCost), "greater than 0, or null", cost);
        }

        if (MaxDuplicateRetries is < 0 or > 10)
        {
            errors.Add(nameof(MaxDuplicateRetries), "between 0 and 10", MaxDuplicateRetries);
        }

        if (!(MaxFailureRatio >= 0 && MaxFailureRatio <= 1))
        {
            errors.Add(nameof(MaxFailureRatio), "between 0 and 1", MaxFailureRatio);
        }

        if (CheckpointId is { } id && string.IsNullOrWhiteSpace(id))
        {
            errors.Add(nameof(CheckpointId), "an id, or null for no checkpoints", $"'{id}'");
        }

        errors.AddIfBadDelay(nameof(StageTimeout), StageTimeout, zeroAllowed: false, ", or null");
        if (Retry is null)
        {
            errors.Add(nameof(Retry), "a BeamRetryOptions instance", null);
        }
        else
        {
            Retry.Validate(errors);
        }

        return errors.Errors;
    }

    /// <summary>Creates an independent copy of these options.</summary>
    /// <returns>The copy.</returns>
    public BeamSearchOptions Clone()
    {
        var copy = (BeamSearchOptions)MemberwiseClone();
        copy.Retry = Retry?.Clone()!;
        return copy;
    }

    internal PromptDimension DimensionFor(int iteration)
    {
        var odd = iteration % 2 == 1;
        return (odd == (DimensionSchedule == DimensionSchedule.WhatFirst)) ? PromptDimension.What : PromptDimension.How;
    }
}
