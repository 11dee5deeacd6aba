using System.Text.Json.Nodes;

namespace StreamingBeam.Samples.Web.Beam;

/// <summary>The events of a beam run, as Server-Sent Events: the <c>event:</c> name is the <c>type</c> field of the
/// JSON payload.</summary>
/// <remarks>
/// <c>search_started</c> once; then per candidate <c>image_generated</c> (with an <c>image_url</c>, before any score)
/// and <c>candidate_scored</c> or <c>candidate_failed</c>; <c>iteration_completed</c> with the survivors after each
/// ranking; and exactly one of <c>search_completed</c>, <c>error</c> or <c>canceled</c> last.
/// </remarks>
internal static class BeamMessages
{
    public const string SearchStarted = "search_started";
    public const string ImageGenerated = "image_generated";
    public const string CandidateScored = "candidate_scored";
    public const string CandidateFailed = "candidate_failed";
    public const string IterationCompleted = "iteration_completed";
    public const string SearchCompleted = "search_completed";
    public const string Error = "error";
    public const string Canceled = "canceled";

    public static JsonObject ForStart(SearchStartedEvent started, long seed, string providers) => new()
    {
        ["type"] = SearchStarted,
        ["prompt"] = started.Prompt,
        ["beam_width"] = started.Options.BeamWidth,
        ["keep_top"] = started.Options.KeepTop,
        ["iterations"] = started.Options.MaxIterations,
        ["alpha"] = started.Options.Alpha,
        ["seed"] = seed,
        ["providers"] = providers,
        ["elapsed_ms"] = Milliseconds(started.Elapsed),
    };

    public static JsonObject ForImage(ImageGeneratedEvent image, string? imageUrl) => new()
    {
        ["type"] = ImageGenerated,
        ["iteration"] = image.Iteration,
        ["candidate_id"] = image.CandidateId,
        ["parent_id"] = image.ParentId,
        ["what"] = image.What,
        ["how"] = image.How,
        ["combined_prompt"] = image.CombinedPrompt,
        ["image_url"] = imageUrl,
        ["elapsed_ms"] = Milliseconds(image.Elapsed),
    };

    public static JsonObject ForScore(CandidateScoredEvent scored, string? imageUrl) => new()
    {
        ["type"] = CandidateScored,
        ["iteration"] = scored.Iteration,
        ["candidate"] = Candidate(scored.Candidate, imageUrl),
        ["elapsed_ms"] = Milliseconds(scored.Elapsed),
    };

    public static JsonObject ForFailure(CandidateFailedEvent failed) => new()
    {
        ["type"] = CandidateFailed,
        ["iteration"] = failed.Iteration,
        ["candidate_id"] = failed.CandidateId,
        ["parent_id"] = failed.ParentId,
        ["stage"] = failed.Stage.ToString().ToLowerInvariant(),
        ["error"] = failed.Exception.Message,
        ["elapsed_ms"] = Milliseconds(failed.Elapsed),
    };

    public static JsonObject ForIteration(IterationCompletedEvent done) => new()
    {
        ["type"] = IterationCompleted,
        ["iteration"] = done.Iteration,
        ["survivors"] = new JsonArray([.. done.Survivors.Select(s => (JsonNode)Summary(s))]),
        ["best_so_far"] = done.BestSoFar is null ? null : Summary(done.BestSoFar),
        ["scored"] = done.Scored,
        ["failed"] = done.Failed,
        ["elapsed_ms"] = Milliseconds(done.Elapsed),
    };

    public static JsonObject ForCompletion(SearchCompletedEvent completed, string? bestImageUrl)
    {
        var result = completed.Result;
        return new JsonObject
        {
            ["type"] = SearchCompleted,
            ["best"] = Candidate(result.Best, bestImageUrl),
            ["stop_reason"] = result.StopReason.ToString(),
            ["stop_description"] = Describe(result.StopReason, result.Iterations),
            ["iterations"] = result.Iterations,
            ["candidates_scored"] = result.CandidatesScored,
            ["candidates_failed"] = result.CandidatesFailed,
            ["usage"] = new JsonObject
            {
                ["input_tokens"] = result.Usage.InputTokens,
                ["output_tokens"] = result.Usage.OutputTokens,
                ["images"] = result.Usage.Images,
                ["cost"] = result.Usage.Cost,
            },
            ["elapsed_ms"] = Milliseconds(result.Elapsed),
        };
    }

    public static JsonObject ForError(string title, string detail) => new()
    {
        ["type"] = Error,
        ["error"] = new JsonObject { ["title"] = title, ["detail"] = detail },
    };

    public static JsonObject ForCancel(string? reason) => new()
    {
        ["type"] = Canceled,
        ["reason"] = reason,
    };

    /// <summary>The stop reason in words, for people; <c>stop_reason</c> stays the enum name, for programs.</summary>
    public static string Describe(BeamStopReason reason, int iterations) => reason switch
    {
        BeamStopReason.MaxIterationsReached => $"ran all {iterations} iterations asked for",
        BeamStopReason.TargetScoreReached => "the best candidate reached the target score",
        BeamStopReason.Converged => "the best score stopped improving",
        BeamStopReason.ImageBudgetExhausted => "another iteration would have gone over the image budget",
        BeamStopReason.CostBudgetExhausted => "the cost budget was spent",
        BeamStopReason.TooManyFailures => "too many candidates of an iteration failed",
        _ => reason.ToString(),
    };

    private static JsonObject Summary(BeamCandidate candidate) => new()
    {
        ["id"] = candidate.Id,
        ["total"] = Round(candidate.Total),
    };

    private static JsonObject Candidate(BeamCandidate candidate, string? imageUrl) => new()
    {
        ["id"] = candidate.Id,
        ["parent_id"] = candidate.ParentId,
        ["iteration"] = candidate.Iteration,
        ["variant_index"] = candidate.VariantIndex,
        ["what"] = candidate.What,
        ["how"] = candidate.How,
        ["combined_prompt"] = candidate.CombinedPrompt,
        ["image_url"] = imageUrl,
        ["alignment"] = Round(candidate.Alignment),
        ["aesthetic"] = Round(candidate.Aesthetic),
        ["total"] = Round(candidate.Total),
        ["alignment_analysis"] = candidate.AlignmentAnalysis,
        ["aesthetic_analysis"] = candidate.AestheticAnalysis,
        ["refined_dimension"] = candidate.RefinedDimension?.ToString(),
        ["critique"] = candidate.Critique,
        ["duration_ms"] = Milliseconds(candidate.Timings.Total),
    };

    private static double Round(double value) => Math.Round(value, 4);

    private static double Milliseconds(TimeSpan elapsed) => Math.Round(elapsed.TotalMilliseconds, 1);
}
