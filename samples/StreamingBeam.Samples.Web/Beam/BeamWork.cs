using StreamingBeam.Samples.Web.Runs;

namespace StreamingBeam.Samples.Web.Beam;

/// <summary>The background work of a beam run: streams the search's events into the run's log, keeping each image
/// as an asset of the run so events carry a URL rather than the bytes.</summary>
internal sealed partial class BeamWork(IBeamSearchEngine engine, string prompt, BeamSearchOptions options, long seed, string providers, ILogger logger)
{
    public async Task RunAsync(StreamRun run, CancellationToken cancellationToken)
    {
        var imageUrls = new Dictionary<string, string?>(StringComparer.Ordinal);
        try
        {
            await foreach (var e in engine.SearchStreamingAsync(prompt, options, cancellationToken))
            {
                switch (e)
                {
                    case SearchStartedEvent started:
                        run.Append(BeamMessages.SearchStarted, BeamMessages.ForStart(started, seed, providers));
                        break;
                    case ImageGeneratedEvent image:
                        var url = Keep(run, image.CandidateId, image.Image);
                        imageUrls[image.CandidateId] = url;
                        run.Append(BeamMessages.ImageGenerated, BeamMessages.ForImage(image, url));
                        break;
                    case CandidateScoredEvent scored:
                        run.Append(BeamMessages.CandidateScored, BeamMessages.ForScore(scored, UrlOf(scored.Candidate)));
                        break;
                    case CandidateFailedEvent failed:
                        run.Append(BeamMessages.CandidateFailed, BeamMessages.ForFailure(failed));
                        break;
                    case IterationCompletedEvent done:
                        run.Append(BeamMessages.IterationCompleted, BeamMessages.ForIteration(done));
                        break;
                    case SearchCompletedEvent completed:
                        run.Append(BeamMessages.SearchCompleted, BeamMessages.ForCompletion(completed, UrlOf(completed.Result.Best)));
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogCanceled(logger, run.Id, run.CancelReason);
            run.Append(BeamMessages.Canceled, BeamMessages.ForCancel(run.CancelReason));
        }
        catch (BeamSearchException ex)
        {
            run.Append(BeamMessages.Error, BeamMessages.ForError("The search found no candidate.", ex.Message));
        }
#pragma warning disable CA1031 // Any failure of the run is reported to its clients as the last event, never lost in a background task.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogFailed(logger, ex, run.Id);
            run.Append(BeamMessages.Error, BeamMessages.ForError("The search failed.", ex.Message));
        }

        string? UrlOf(BeamCandidate candidate) =>
            imageUrls.TryGetValue(candidate.Id, out var known) ? known : Keep(run, candidate.Id, candidate.Image);
    }

    public static string ImagePath(string runId, string candidateId) =>
        $"{BeamEndpoints.RunsPath}/{runId}/images/{Uri.EscapeDataString(candidateId)}";

    private static string? Keep(StreamRun run, string candidateId, GeneratedImage image)
    {
        if (!image.Data.IsEmpty)
        {
            run.AddAsset(candidateId, new RunAsset(image.Data, image.MediaType));
            return ImagePath(run.Id, candidateId);
        }

        return image.Uri?.ToString();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Beam run {RunId} canceled ({Reason})")]
    private static partial void LogCanceled(ILogger logger, string runId, string? reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Beam run {RunId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string runId);
}
