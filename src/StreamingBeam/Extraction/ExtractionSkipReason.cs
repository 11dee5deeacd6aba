namespace StreamingBeam;

/// <summary>Why an extractor was skipped.</summary>
public enum ExtractionSkipReason
{
    /// <summary>The extractor was not skipped.</summary>
    None,

    /// <summary>The extractor's <see cref="ExtractorOptions.Condition"/> returned <see langword="false"/>.</summary>
    ConditionFalse,

    /// <summary>One of the extractor's dependencies failed, timed out or was skipped.</summary>
    DependencyNotSucceeded,

    /// <summary>Running the extractor would have taken the run's spending past <see cref="ExtractionRunOptions.Budget"/>.</summary>
    BudgetExceeded,
}
