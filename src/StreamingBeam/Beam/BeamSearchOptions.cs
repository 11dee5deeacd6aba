using System.Globalization;

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
    /// <returns>The broken rules.</returns>
    public IReadOnlyList<string> GetValidationErrors()
    {
        var errors = new List<string>();
        void Add(FormattableString message) => errors.Add(message.ToString(CultureInfo.InvariantCulture));

        if (BeamWidth is < 1 or > MaxBeamWidth)
        {
            Add($"BeamWidth is {BeamWidth}; it must be between 1 and {MaxBeamWidth}.");
        }

        if (KeepTop < 1 || KeepTop > Math.Max(BeamWidth, 1))
        {
            Add($"KeepTop is {KeepTop}; it must be between 1 and BeamWidth ({BeamWidth}).");
        }

        if (MaxIterations is < 1 or > 1000)
        {
            Add($"MaxIterations is {MaxIterations}; it must be between 1 and 1000 (it counts the first iteration).");
        }

        if (!(Alpha >= 0 && Alpha <= 1))
        {
            Add($"Alpha is {Alpha}; it must be between 0 and 1.");
        }

        if (!(Temperature >= 0 && Temperature <= 2))
        {
            Add($"Temperature is {Temperature}; it must be between 0 and 2.");
        }

        if (!Enum.IsDefined(DimensionSchedule))
        {
            Add($"DimensionSchedule is {(int)DimensionSchedule}, which is not a defined value.");
        }

        if (!Enum.IsDefined(RankingPool))
        {
            Add($"RankingPool is {(int)RankingPool}, which is not a defined value.");
        }

        if (!Enum.IsDefined(AlignmentTarget))
        {
            Add($"AlignmentTarget is {(int)AlignmentTarget}, which is not a defined value.");
        }

        if (TargetScore is { } target && !(target > 0 && target <= 1))
        {
            Add($"TargetScore is {target}; it must be greater than 0 and at most 1, or null.");
        }

        if (ConvergenceEpsilon is { } epsilon && !(epsilon >= 0))
        {
            Add($"ConvergenceEpsilon is {epsilon}; it must be at least 0, or null.");
        }

        if (ConvergencePatience < 1)
        {
            Add($"ConvergencePatience is {ConvergencePatience}; it must be at least 1.");
        }

        if (MaxImages is { } images && images < BeamWidth)
        {
            Add($"MaxImages is {images}; it must be at least BeamWidth ({BeamWidth}), or no iteration could run.");
        }

        if (MaxCost is { } cost && cost <= 0)
        {
            Add($"MaxCost is {cost}; it must be greater than 0, or null.");
        }

        if (!(MaxFailureRatio >= 0 && MaxFailureRatio <= 1))
        {
            Add($"MaxFailureRatio is {MaxFailureRatio}; it must be between 0 and 1.");
        }

        if (CheckpointId is { } id && string.IsNullOrWhiteSpace(id))
        {
            Add($"CheckpointId is empty; set an id, or null for no checkpoints.");
        }

        if (StageTimeout is { } timeout && (timeout <= TimeSpan.Zero || timeout.TotalMilliseconds > int.MaxValue))
        {
            Add($"StageTimeout is {timeout}; it must be greater than zero and at most {TimeSpan.FromMilliseconds(int.MaxValue)}, or null.");
        }

        if (Retry is null)
        {
            errors.Add("Retry is null; set it to a BeamRetryOptions instance.");
        }
        else
        {
            if (Retry.MaxRetries is < 0 or > 10)
            {
                Add($"Retry.MaxRetries is {Retry.MaxRetries}; it must be between 0 and 10.");
            }

            if (Retry.BaseDelay < TimeSpan.Zero)
            {
                Add($"Retry.BaseDelay is {Retry.BaseDelay}; it must not be negative.");
            }

            if (!(Retry.BackoffMultiplier >= 1))
            {
                Add($"Retry.BackoffMultiplier is {Retry.BackoffMultiplier}; it must be at least 1.");
            }

            if (Retry.MaxDelay < Retry.BaseDelay)
            {
                Add($"Retry.MaxDelay is {Retry.MaxDelay}; it must be at least Retry.BaseDelay ({Retry.BaseDelay}).");
            }
        }

        return errors;
    }

    /// <summary>Throws when the options break any rule.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every broken rule.</exception>
    public void Validate()
    {
        var errors = GetValidationErrors();
        if (errors.Count > 0)
        {
            throw new ArgumentException(
                "Invalid beam search options:" + Environment.NewLine + "- " + string.Join(Environment.NewLine + "- ", errors),
                "options");
        }
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
