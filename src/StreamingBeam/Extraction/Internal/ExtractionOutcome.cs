using System.Text.Json.Nodes;

namespace StreamingBeam.Extraction.Internal;

/// <summary>How one extractor's part of a run ended, before it becomes an <see cref="ExtractionUpdate"/>.</summary>
internal readonly struct ExtractionOutcome
{
    private ExtractionOutcome(ExtractionStatus status, JsonObject? tokens, Exception? error, ExtractionSkipReason skipReason,
        ProviderUsage usage, decimal cost, bool canceled)
    {
        Status = status;
        Tokens = tokens;
        Error = error;
        SkipReason = skipReason;
        Usage = usage;
        Cost = cost;
        Canceled = canceled;
    }

    public ExtractionStatus Status { get; }

    public JsonObject? Tokens { get; }

    public Exception? Error { get; }

    public ExtractionSkipReason SkipReason { get; }

    public ProviderUsage Usage { get; }

    public decimal Cost { get; }

    /// <summary>Gets a value indicating whether the call ended because the run was canceled; nothing is delivered.</summary>
    public bool Canceled { get; }

    /// <summary>Gets a value indicating whether a required extractor with this outcome ends the run.</summary>
    public bool FailsRequired => Status is ExtractionStatus.Failed or ExtractionStatus.TimedOut
        || (Status == ExtractionStatus.Skipped && SkipReason != ExtractionSkipReason.ConditionFalse);

    public static ExtractionOutcome Succeeded(JsonObject tokens, ProviderUsage usage, decimal cost) =>
        new(ExtractionStatus.Succeeded, tokens, null, ExtractionSkipReason.None, usage, cost, canceled: false);

    public static ExtractionOutcome Failed(Exception error, decimal cost, ProviderUsage usage = default) =>
        new(ExtractionStatus.Failed, null, error, ExtractionSkipReason.None, usage, cost, canceled: false);

    public static ExtractionOutcome TimedOut(TimeoutException error, decimal cost) =>
        new(ExtractionStatus.TimedOut, null, error, ExtractionSkipReason.None, default, cost, canceled: false);

    public static ExtractionOutcome Skipped(ExtractionSkipReason reason) =>
        new(ExtractionStatus.Skipped, null, null, reason, default, 0m, canceled: false);

    public static ExtractionOutcome CanceledByRun() =>
        new(ExtractionStatus.Failed, null, null, ExtractionSkipReason.None, default, 0m, canceled: true);
}
