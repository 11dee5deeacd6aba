namespace StreamingBeam;

/// <summary>Why a beam search stopped. Cancellation is not a reason: a canceled search ends with <see cref="OperationCanceledException"/>.</summary>
public enum BeamStopReason
{
    /// <summary>Every iteration allowed by <see cref="BeamSearchOptions.MaxIterations"/> ran.</summary>
    MaxIterationsReached = 0,

    /// <summary>The best total reached <see cref="BeamSearchOptions.TargetScore"/>.</summary>
    TargetScoreReached = 1,

    /// <summary>The best total improved by less than <see cref="BeamSearchOptions.ConvergenceEpsilon"/> over
    /// <see cref="BeamSearchOptions.ConvergencePatience"/> iterations.</summary>
    Converged = 2,

    /// <summary>Another iteration would have generated more images than <see cref="BeamSearchOptions.MaxImages"/> allows.</summary>
    ImageBudgetExhausted = 3,

    /// <summary>The cost spent reached <see cref="BeamSearchOptions.MaxCost"/>, or another iteration like the last one would exceed it.</summary>
    CostBudgetExhausted = 4,

    /// <summary>More than <see cref="BeamSearchOptions.MaxFailureRatio"/> of an iteration's candidates failed.</summary>
    TooManyFailures = 5,
}
