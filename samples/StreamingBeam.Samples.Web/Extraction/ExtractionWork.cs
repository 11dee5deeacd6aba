using StreamingBeam.Samples.Web.Runs;

namespace StreamingBeam.Samples.Web.Extraction;

/// <summary>The background work of an extraction run: runs the engine and appends one event per update, then the
/// merged document; a cancellation or a failure becomes the run's last event.</summary>
internal sealed partial class ExtractionWork(ExtractionEngine engine, ExtractionInput input, ILogger logger)
{
    public async Task RunAsync(StreamRun run, CancellationToken cancellationToken)
    {
        try
        {
            await RunCoreAsync(run, cancellationToken);
        }
        finally
        {
            // The engine holds the decoded pixels (MaxImagePixels x 3 bytes and more); whatever still references this
            // work once it is done (the run's completion task) must not keep them alive until the run is evicted.
            engine = null!;
            input = null!;
        }
    }

    private async Task RunCoreAsync(StreamRun run, CancellationToken cancellationToken)
    {
        run.Append(ExtractionMessages.Started, ExtractionMessages.ForStart(run.Id, engine.ExtractorNames, input));
        var document = new TokenDocument();
        int completed = 0, succeeded = 0;
        var elapsed = TimeSpan.Zero;
        var cost = 0m;
        try
        {
            await foreach (var update in engine.ExtractStreamingAsync(input, cancellationToken: cancellationToken))
            {
                document.Merge(update);
                if (!update.IsProvisional)
                {
                    completed = update.Completed;
                    elapsed = update.Elapsed;
                    cost += update.Cost;
                    succeeded += update.Status == ExtractionStatus.Succeeded ? 1 : 0;
                }

                run.Append(ExtractionMessages.StageOf(update), ExtractionMessages.ForUpdate(update));
            }

            run.Append(ExtractionMessages.Complete, ExtractionMessages.ForComplete(document, completed, engine.ExtractorNames.Count, succeeded, elapsed, cost));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogCanceled(logger, run.Id, run.CancelReason);
            run.Append(ExtractionMessages.Canceled, ExtractionMessages.ForCancel(run.CancelReason));
        }
#pragma warning disable CA1031 // Any failure of the run is reported to its clients as the last event, never lost in a background task.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogFailed(logger, ex, run.Id);
            run.Append(ExtractionMessages.Error, ExtractionMessages.ForError(StatusCodes.Status500InternalServerError, "The extraction failed.", ex.Message));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Extraction run {RunId} canceled ({Reason})")]
    private static partial void LogCanceled(ILogger logger, string runId, string? reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Extraction run {RunId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string runId);
}
