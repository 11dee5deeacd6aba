using System.Globalization;
using StreamingBeam.Samples.Console.Cli;

namespace StreamingBeam.Samples.Console.Beam;

/// <summary>Runs a beam search on the simulated providers and shows it live, line by line.</summary>
internal static class BeamCommand
{
    public static async Task<int> RunAsync(
        SampleCommand command,
        TextWriter output,
        BeamProviders providers,
        CancellationToken cancellationToken)
    {
        var engine = new BeamSearchEngine(providers.Llm, providers.Images, providers.Scorer);
        var options = new BeamSearchOptions
        {
            BeamWidth = command.BeamWidth,
            KeepTop = command.KeepTop,
            MaxIterations = command.Iterations,
            Alpha = command.Alpha,
        };

        var gallery = new GalleryWriter(command.OutputDirectory);
        BeamSearchResult? result = null;
        output.WriteLine($"Beam search for \"{command.Prompt}\": N={options.BeamWidth}, M={options.KeepTop}, {options.MaxIterations} iterations, alpha {options.Alpha}, on {providers.Description}");

        await foreach (var e in engine.SearchStreamingAsync(command.Prompt, options, cancellationToken))
        {
            var at = $"[{e.Elapsed.TotalSeconds,6:0.00}s]";
            switch (e)
            {
                case ImageGeneratedEvent image:
                    await gallery.AddImageAsync(image, cancellationToken);
                    output.WriteLine($"{at} {image.CandidateId,-7} rendered   {Shorten(image.CombinedPrompt, 70)}");
                    break;
                case CandidateScoredEvent scored:
                    var x = scored.Candidate;
                    gallery.Add(x);
                    output.WriteLine($"{at} {x.Id,-7} scored     total {x.Total:0.000}  (alignment {x.Alignment:0.000}, aesthetic {x.Aesthetic:0.000})");
                    break;
                case CandidateFailedEvent failed:
                    gallery.AddFailure(failed);
                    output.WriteLine($"{at} {failed.CandidateId,-7} FAILED     at {failed.Stage}: {failed.Exception.Message}");
                    break;
                case IterationCompletedEvent done:
                    gallery.MarkSurvivors(done);
                    output.WriteLine($"{at} -- iteration {done.Iteration} complete: {done.Scored} scored, {done.Failed} failed; survivors {string.Join(", ", done.Survivors.Select(s => $"{s.Id} ({s.Total:0.000})"))}; best so far {done.BestSoFar?.Id} ({done.BestSoFar?.Total:0.000})");
                    break;
                case SearchCompletedEvent completed:
                    result = completed.Result;
                    break;
            }
        }

        if (result is null)
        {
            return 1;
        }

        await gallery.WriteIndexAsync(command.Prompt, result, cancellationToken);
        var best = result.Best;
        output.WriteLine();
        output.WriteLine($"Best candidate {best.Id} (iteration {best.Iteration}), total {best.Total:0.000}: alignment {best.Alignment:0.000}, aesthetic {best.Aesthetic:0.000}");
        output.WriteLine($"  WHAT:     {best.What}");
        output.WriteLine($"  HOW:      {best.How}");
        output.WriteLine($"  Prompt:   {best.CombinedPrompt}");
        output.WriteLine($"  Stopped:  {result.StopReason} after {result.Iterations} iterations; {result.CandidatesScored} scored, {result.CandidatesFailed} failed");
        output.WriteLine($"  Time:     {result.Elapsed.TotalSeconds:0.00} s");
        output.WriteLine($"  Usage:    {result.Usage.TotalTokens} tokens, {result.Usage.Images} images, cost {result.Usage.Cost:0.0000}");
        output.WriteLine($"Gallery: {gallery.IndexPath}");
        return 0;
    }

    private static string Shorten(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");
}
