using Microsoft.Extensions.Logging;

namespace StreamingBeam;

/// <summary>Source-generated log messages of the extraction engine (category <c>StreamingBeam.ExtractionEngine</c>,
/// event ids 4001 to 4099).</summary>
/// <remarks>Run-level events are logged at Information, per-extractor progress at Debug, failures at Warning or
/// Error. Facts about the input (its name, media type, size) are logged at Debug only; its content never is. Each
/// failure is logged once, where it is handled: an extractor's at Warning (4012, 4013), a preprocessor's at Warning
/// (4021), the end of a run because a required extractor failed at Error (4016). The ids are listed in
/// docs/telemetry.md.</remarks>
internal static partial class ExtractionLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Extraction run started with {ExtractorCount} extractors in {Mode} mode.")]
    public static partial void RunStarted(ILogger logger, int extractorCount, ExtractionMode mode);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "Extraction input: name {InputName}, media type {MediaType}, {Length} bytes.")]
    public static partial void RunInput(ILogger logger, string? inputName, string? mediaType, int length);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Extraction run completed: {Completed} of {Total} extractors reported in {Elapsed}.")]
    public static partial void RunCompleted(ILogger logger, int completed, int total, TimeSpan elapsed);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Extraction run stopped early: {Completed} of {Total} extractors reported in {Elapsed}; the others were canceled.")]
    public static partial void RunStopped(ILogger logger, int completed, int total, TimeSpan elapsed);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Extraction run canceled: {Completed} of {Total} extractors reported in {Elapsed}.")]
    public static partial void RunCanceled(ILogger logger, int completed, int total, TimeSpan elapsed);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information, Message = "Stop condition met by the update of extractor {ExtractorName}; canceling the extractors still running.")]
    public static partial void StopConditionMet(ILogger logger, string extractorName);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Debug, Message = "Extractor {ExtractorName} started.")]
    public static partial void ExtractorStarted(ILogger logger, string extractorName);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Debug, Message = "Extractor {ExtractorName} succeeded at {Elapsed}.")]
    public static partial void ExtractorSucceeded(ILogger logger, string extractorName, TimeSpan elapsed);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "Extractor {ExtractorName} failed.")]
    public static partial void ExtractorFailed(ILogger logger, string extractorName, Exception exception);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning, Message = "Extractor {ExtractorName} timed out after {Timeout}; its call was canceled.")]
    public static partial void ExtractorTimedOut(ILogger logger, string extractorName, TimeSpan timeout);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Debug, Message = "Extractor {ExtractorName} skipped: {Reason}.")]
    public static partial void ExtractorSkipped(ILogger logger, string extractorName, ExtractionSkipReason reason);

    [LoggerMessage(EventId = 4015, Level = LogLevel.Debug, Message = "Extractor {ExtractorName} published a provisional result.")]
    public static partial void ProvisionalPublished(ILogger logger, string extractorName);

    [LoggerMessage(EventId = 4016, Level = LogLevel.Error, Message = "Required extractor {ExtractorName} ended with status {Status}; the extraction run stops.")]
    public static partial void RequiredExtractorFailed(ILogger logger, string extractorName, ExtractionStatus status);

    [LoggerMessage(EventId = 4020, Level = LogLevel.Debug, Message = "Computing artifact {ArtifactName}.")]
    public static partial void ArtifactComputing(ILogger logger, string artifactName);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Warning, Message = "The preprocessor of artifact {ArtifactName} failed; the extractors that need it fail too.")]
    public static partial void ArtifactFailed(ILogger logger, string artifactName, Exception exception);

    [LoggerMessage(EventId = 4030, Level = LogLevel.Warning, Message = "A cancellation callback registered by an extractor threw.")]
    public static partial void CancellationCallbackFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4032, Level = LogLevel.Information, Message = "The rate limit of extractor {ExtractorName}'s provider refused it (refusal {Refusals}); its calls in every run wait {Cooldown}, then it is tried again.")]
    public static partial void ExtractorRateLimited(ILogger logger, string extractorName, TimeSpan cooldown, int refusals);

    [LoggerMessage(EventId = 4031, Level = LogLevel.Warning, Message = "{Count} extractor calls did not end within {Grace} of being canceled or timing out; the run ended without them and will discard what they return.")]
    public static partial void CallsAbandoned(ILogger logger, int count, TimeSpan grace);
}
