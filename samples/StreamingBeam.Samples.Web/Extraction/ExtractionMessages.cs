using System.Text.Json.Nodes;

namespace StreamingBeam.Samples.Web.Extraction;

/// <summary>The messages of an extraction run, the same JSON on the WebSocket (one text message each) and on the
/// Server-Sent Events stream (the <c>data:</c> line, with the stage as the <c>event:</c> name).</summary>
/// <remarks>
/// The shape follows the source design: <c>{"stage": ..., "tokens": {...}, "metadata": {...}}</c>. Stages, in order:
/// <c>started</c> once; <c>extractor_complete</c> once per extractor (succeeded, failed, skipped or timed out; the last
/// one has <c>is_final</c>), with <c>extractor_progress</c> for provisional results; then exactly one of
/// <c>complete</c> (with the merged token document), <c>error</c> or <c>canceled</c>.
/// </remarks>
internal static class ExtractionMessages
{
    public const string Started = "started";
    public const string ExtractorComplete = "extractor_complete";
    public const string ExtractorProgress = "extractor_progress";
    public const string Complete = "complete";
    public const string Error = "error";
    public const string Canceled = "canceled";

    public static JsonObject ForStart(string runId, IReadOnlyList<string> extractors, ExtractionInput input) => new()
    {
        ["stage"] = Started,
        ["metadata"] = new JsonObject
        {
            ["run_id"] = runId,
            ["extractors_total"] = extractors.Count,
            ["extractors"] = new JsonArray([.. extractors.Select(name => JsonValue.Create(name))]),
            ["input_name"] = input.Name,
            ["input_bytes"] = input.Data.Length,
        },
    };

    public static string StageOf(ExtractionUpdate update) => update.IsProvisional ? ExtractorProgress : ExtractorComplete;

    public static JsonObject ForUpdate(ExtractionUpdate update)
    {
        var metadata = new JsonObject
        {
            ["extractor"] = update.ExtractorName,
            ["status"] = StatusName(update.Status),
            ["elapsed_ms"] = Milliseconds(update.Elapsed),
            ["extractors_completed"] = update.Completed,
            ["extractors_total"] = update.Total,
            ["is_final"] = update.IsFinal,
            ["cost"] = update.Cost,
            ["weight"] = update.Weight,
        };
        if (update.Error is { } error)
        {
            metadata["error"] = error.Message;
        }

        if (update.Status == ExtractionStatus.Skipped)
        {
            metadata["skip_reason"] = update.SkipReason.ToString();
        }

        return new JsonObject
        {
            ["stage"] = StageOf(update),
            ["tokens"] = update.Tokens?.DeepClone(),
            ["metadata"] = metadata,
        };
    }

    public static JsonObject ForComplete(TokenDocument document, int completed, int total, int succeeded, TimeSpan elapsed, decimal cost) => new()
    {
        ["stage"] = Complete,
        ["tokens"] = document.Root.DeepClone(),
        ["metadata"] = new JsonObject
        {
            ["elapsed_ms"] = Milliseconds(elapsed),
            ["extractors_completed"] = completed,
            ["extractors_total"] = total,
            ["extractors_succeeded"] = succeeded,
            ["cost"] = cost,
        },
    };

    public static JsonObject ForError(int status, string title, string detail) => new()
    {
        ["stage"] = Error,
        ["error"] = new JsonObject { ["status"] = status, ["title"] = title, ["detail"] = detail },
    };

    public static JsonObject ForCancel(string? reason) => new()
    {
        ["stage"] = Canceled,
        ["metadata"] = new JsonObject { ["reason"] = reason },
    };

    public static string StatusName(ExtractionStatus status) => status switch
    {
        ExtractionStatus.Succeeded => "succeeded",
        ExtractionStatus.Failed => "failed",
        ExtractionStatus.Skipped => "skipped",
        ExtractionStatus.TimedOut => "timed_out",
        ExtractionStatus.Provisional => "provisional",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static double Milliseconds(TimeSpan elapsed) => Math.Round(elapsed.TotalMilliseconds, 1);
}
