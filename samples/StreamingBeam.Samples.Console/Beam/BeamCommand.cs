using StreamingBeam.Samples.Console.Cli;

namespace StreamingBeam.Samples.Console.Beam;

/// <summary>Runs a beam search and shows it live: one line per event, and on a terminal a progress line of the lanes of
/// each iteration under way, redrawn below them.</summary>
internal static class BeamCommand
{
    public static async Task<int> RunAsync(
        SampleCommand command,
        TextWriter output,
        BeamProviders providers,
        CancellationToken cancellationToken,
        bool interactive = false)
    {
        var engine = new BeamSearchEngine(providers.Llm, providers.Images, providers.Scorer);
        var options = new BeamSearchOptions
        {
            BeamWidth = command.BeamWidth,
            KeepTop = command.KeepTop,
            MaxIterations = command.Iterations,
            Alpha = command.Alpha,

            // Transient failures (5xx, timeouts, network errors) are retried here, not by the OpenAI client (its retries are off).
            Retry = { MaxRetries = 2 },
        };

        var gallery = CreateGallery(command.OutputDirectory);
        var live = new LiveLines(output, interactive);
        var progress = new BeamProgress(options.BeamWidth);
        BeamSearchResult? result = null;
        output.WriteLine($"Beam search for \"{command.Prompt}\": N={options.BeamWidth}, M={options.KeepTop}, {ConsoleText.Count(options.MaxIterations, "iteration")}, alpha {options.Alpha}, on {providers.Description}");

        try
        {
            await foreach (var e in engine.SearchStreamingAsync(command.Prompt, options, cancellationToken))
            {
                progress.Observe(e);
                var at = $"[{e.Elapsed.TotalSeconds,6:0.00}s]";
                switch (e)
                {
                    case ImageGeneratedEvent image:
                        await gallery.AddImageAsync(image, cancellationToken);
                        live.WriteLine($"{at} {image.CandidateId,-9} rendered   {ConsoleText.OneLine(image.CombinedPrompt, 70)}");
                        break;
                    case CandidateScoredEvent scored:
                        var x = scored.Candidate;
                        gallery.Add(x);
                        live.WriteLine($"{at} {x.Id,-9} scored     total {x.Total:0.000}  (alignment {x.Alignment:0.000}, aesthetic {x.Aesthetic:0.000})");
                        break;
                    case CandidateFailedEvent failed:
                        gallery.AddFailure(failed);
                        live.WriteLine($"{at} {failed.CandidateId,-9} FAILED     at {failed.Stage}: {ConsoleText.OneLine(failed.Exception.Message, 120)}");
                        break;
                    case IterationCompletedEvent done:
                        gallery.MarkSurvivors(done);
                        live.WriteLine($"{at} -- iteration {done.Iteration} complete: {done.Scored} scored, {done.Failed} failed; {Survivors(done)}");
                        break;
                    case SearchCompletedEvent completed:
                        result = completed.Result;
                        break;
                }

                live.Status(progress.Render());
            }
        }
        finally
        {
            live.Status(string.Empty);
        }

        if (result is null)
        {
            return 1;
        }

        var cost = providers.DescribeCost(result.Usage);
        await gallery.WriteIndexAsync(command.Prompt, result, cost, cancellationToken);
        var best = result.Best;
        output.WriteLine();
        output.WriteLine($"Best candidate {best.Id} (iteration {best.Iteration}), total {best.Total:0.000}: alignment {best.Alignment:0.000}, aesthetic {best.Aesthetic:0.000}");
        output.WriteLine($"  WHAT:     {best.What}");
        output.WriteLine($"  HOW:      {best.How}");
        output.WriteLine($"  Prompt:   {best.CombinedPrompt}");
        output.WriteLine($"  Stopped:  {result.StopReason} after {ConsoleText.Count(result.Iterations, "iteration")}; {result.CandidatesScored} scored, {result.CandidatesFailed} failed");
        output.WriteLine($"  Time:     {result.Elapsed.TotalSeconds:0.00} s");
        output.WriteLine($"  Usage:    {ConsoleText.Count(result.Usage.TotalTokens, "token")}, {ConsoleText.Count(result.Usage.Images, "image")}, {cost}");
        if (providers.QuotaSummary is { } quota)
        {
            output.WriteLine($"  Quota:    {quota()}");
        }

        output.WriteLine($"Gallery: {gallery.IndexPath}");
        return 0;
    }

    /// <summary>"survivors c0-4 (0.812), c0-1 (0.790); best so far c0-4 (0.812)", or what to say when nothing was scored.</summary>
    internal static string Survivors(IterationCompletedEvent done) =>
        done.Survivors.Count == 0 || done.BestSoFar is null
            ? "no survivors: nothing scored yet"
            : $"survivors {string.Join(", ", done.Survivors.Select(s => $"{s.Id} ({s.Total:0.000})"))}; best so far {done.BestSoFar.Id} ({done.BestSoFar.Total:0.000})";

    private static GalleryWriter CreateGallery(string directory)
    {
        try
        {
            return new GalleryWriter(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new SampleUsageException($"cannot use '{directory}' as the output folder: {ex.Message}", ex);
        }
    }
}
