using Microsoft.Extensions.Logging;

namespace StreamingBeam.Logging;

/// <summary>Source-generated log messages of the beam search. Prompts are logged at Debug only.</summary>
internal static partial class BeamSearchLog
{
    [LoggerMessage(1, LogLevel.Information, "Beam search started: width {BeamWidth}, keep {KeepTop}, up to {MaxIterations} iterations.")]
    public static partial void SearchStarted(ILogger logger, int beamWidth, int keepTop, int maxIterations);

    [LoggerMessage(2, LogLevel.Debug, "Beam search prompt: {Prompt}")]
    public static partial void SearchPrompt(ILogger logger, string prompt);

    [LoggerMessage(3, LogLevel.Warning, "Candidate {CandidateId} failed at stage {Stage}.")]
    public static partial void CandidateFailed(ILogger logger, string candidateId, BeamStage stage, Exception exception);

    [LoggerMessage(4, LogLevel.Debug, "Candidate {CandidateId} scored {Total:0.000} (alignment {Alignment:0.000}, aesthetic {Aesthetic:0.000}).")]
    public static partial void CandidateScored(ILogger logger, string candidateId, double total, double alignment, double aesthetic);

    [LoggerMessage(5, LogLevel.Information, "Iteration {Iteration} completed: {Scored} scored, {Failed} failed, best so far {BestTotal:0.000}.")]
    public static partial void IterationCompleted(ILogger logger, int iteration, int scored, int failed, double bestTotal);

    [LoggerMessage(6, LogLevel.Information, "Beam search completed after {Iterations} iterations ({StopReason}): best {BestTotal:0.000} from {CandidateId}.")]
    public static partial void SearchCompleted(ILogger logger, int iterations, BeamStopReason stopReason, double bestTotal, string candidateId);

    [LoggerMessage(7, LogLevel.Information, "Beam search canceled.")]
    public static partial void SearchCanceled(ILogger logger);

    [LoggerMessage(8, LogLevel.Error, "Beam search failed.")]
    public static partial void SearchFailed(ILogger logger, Exception exception);

    [LoggerMessage(9, LogLevel.Debug, "Retrying {Stage} for candidate {CandidateId} in {Delay} (retry {Retry}).")]
    public static partial void Retrying(ILogger logger, BeamStage stage, string candidateId, TimeSpan delay, int retry, Exception exception);

    [LoggerMessage(10, LogLevel.Debug, "Checkpoint {CheckpointId} saved after iteration {Iteration}.")]
    public static partial void CheckpointSaved(ILogger logger, string checkpointId, int iteration);

    [LoggerMessage(11, LogLevel.Error, "Checkpoint {CheckpointId} could not be saved after iteration {Iteration}; the search goes on without it.")]
    public static partial void CheckpointFailed(ILogger logger, string checkpointId, int iteration, Exception exception);
}
