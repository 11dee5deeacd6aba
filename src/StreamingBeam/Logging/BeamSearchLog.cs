using Microsoft.Extensions.Logging;

namespace StreamingBeam.Logging;

/// <summary>Source-generated log messages of the beam search (category <c>StreamingBeam.BeamSearchEngine</c>, event ids
/// 1001 to 1099). Prompts are logged at Debug only.</summary>
/// <remarks>Each failure is logged once, where it is handled: a candidate's at Warning (1003), the search's at Error
/// (1008). A retried call is logged at Debug (1009); it is not a failure until its last attempt fails the candidate.
/// Cancellation is logged as canceled (1007), never as a failure. The ids are listed in docs/telemetry.md.</remarks>
internal static partial class BeamSearchLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Beam search started: width {BeamWidth}, keep {KeepTop}, up to {MaxIterations} iterations.")]
    public static partial void SearchStarted(ILogger logger, int beamWidth, int keepTop, int maxIterations);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Beam search prompt: {Prompt}")]
    public static partial void SearchPrompt(ILogger logger, string prompt);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Candidate {CandidateId} failed at stage {Stage}.")]
    public static partial void CandidateFailed(ILogger logger, string candidateId, BeamStage stage, Exception exception);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Debug, Message = "Candidate {CandidateId} scored {Total:0.000} (alignment {Alignment:0.000}, aesthetic {Aesthetic:0.000}).")]
    public static partial void CandidateScored(ILogger logger, string candidateId, double total, double alignment, double aesthetic);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Iteration {Iteration} completed: {Scored} scored, {Failed} failed, best so far {BestTotal:0.000}.")]
    public static partial void IterationCompleted(ILogger logger, int iteration, int scored, int failed, double bestTotal);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Beam search completed after {Iterations} iterations ({StopReason}): best {BestTotal:0.000} from {CandidateId}.")]
    public static partial void SearchCompleted(ILogger logger, int iterations, BeamStopReason stopReason, double bestTotal, string candidateId);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information, Message = "Beam search canceled.")]
    public static partial void SearchCanceled(ILogger logger);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Error, Message = "Beam search failed.")]
    public static partial void SearchFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Debug, Message = "Retrying {Stage} for candidate {CandidateId} in {Delay} (retry {Retry}).")]
    public static partial void Retrying(ILogger logger, BeamStage stage, string candidateId, TimeSpan delay, int retry, Exception exception);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Debug, Message = "Checkpoint {CheckpointId} saved after iteration {Iteration}.")]
    public static partial void CheckpointSaved(ILogger logger, string checkpointId, int iteration);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Error, Message = "Checkpoint {CheckpointId} could not be saved; the search goes on without saving more of it, and a resume continues from what was saved before.")]
    public static partial void CheckpointFailed(ILogger logger, string checkpointId, Exception exception);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning, Message = "{Count} provider calls did not end within {Grace} of being canceled or timing out; the search ended without them and will discard what they return.")]
    public static partial void CallsAbandoned(ILogger logger, int count, TimeSpan grace);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Debug, Message = "Candidate {CandidateId} failed on this provider output: {RawReply}")]
    public static partial void CandidateRawReply(ILogger logger, string candidateId, string rawReply);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Information, Message = "Candidate {CandidateId} repeated the prompts of {DuplicateOf} even after asking again; it renders nothing and its slot stays empty.")]
    public static partial void CandidateSkipped(ILogger logger, string candidateId, string duplicateOf);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Information, Message = "The provider's rate limit refused {Stage} for candidate {CandidateId} (refusal {Refusals}); every {Stage} call of the engine waits {Cooldown}, then this one is tried again.")]
    public static partial void RateLimited(ILogger logger, BeamStage stage, string candidateId, TimeSpan cooldown, int refusals);

    [LoggerMessage(EventId = 1016, Level = LogLevel.Information, Message = "Resuming checkpoint {CheckpointId} after iteration {Iteration}: {RecordedCalls} provider calls recorded after it ({RecordedImages} images) are answered from the checkpoint, not made again.")]
    public static partial void Resuming(ILogger logger, string checkpointId, int iteration, int recordedCalls, int recordedImages);

    [LoggerMessage(EventId = 1017, Level = LogLevel.Warning, Message = "Checkpoint {CheckpointId}: the last saves of the canceled search did not end within {Grace}; what they held is not saved.")]
    public static partial void CheckpointAbandoned(ILogger logger, string checkpointId, TimeSpan grace);
}
