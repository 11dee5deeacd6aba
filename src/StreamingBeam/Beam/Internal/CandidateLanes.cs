using StreamingBeam.Diagnostics;
using StreamingBeam.Logging;
using static StreamingBeam.Beam.Internal.ProviderOutputChecks;

namespace StreamingBeam.Beam.Internal;

/// <summary>The lanes of one search: each candidate goes through its own prompts, combine, render and the two scores,
/// the moment its own inputs are ready, and reports once to the driver.</summary>
/// <remarks>
/// A lane never throws for a provider failure: it publishes <see cref="CandidateFailedEvent"/> and reports a
/// <see langword="null"/> outcome. Only cancellation escapes a lane. A lane shares nothing with other lanes but the
/// <see cref="RunLedger"/> and the channels of <see cref="BeamRunContext"/>. Its calls go through
/// <see cref="BeamRunContext.Calls"/>, which records each outcome in the search's journal, or answers it from the journal
/// when the search is resumed: a lane does the same with a recorded answer as with a fresh one.
/// </remarks>
internal sealed partial class CandidateLanes(BeamRunContext context)
{
    private BeamSearchEngine Engine => context.Engine;

    /// <summary>An iteration-0 lane: both expansions of variant <paramref name="index"/>, then the common steps.</summary>
    public async Task RunRootAsync(IterationRun run, int index, CancellationToken cancellationToken)
    {
        var id = BeamRequests.CandidateId(0, index);
        LaneEnd outcome;
        try
        {
            using var candidateSpan = BeamTelemetry.StartCandidate(id, null, 0, run.Span?.Context ?? default);
            var started = context.Time.GetTimestamp();
            var what = ExpandAsync(run, PromptDimension.What, index, id, 0, [], cancellationToken);
            var how = ExpandAsync(run, PromptDimension.How, index, id, 0, [], cancellationToken);
            var whatText = await AwaitBothAsync(what, how).ConfigureAwait(false);
            var howText = await how.ConfigureAwait(false);

            // A repeated pair asks again for the style: another look at the same content is the cheaper variation.
            var claim = await ClaimPromptsAsync(
                run, id, whatText.Text, howText.Text, PromptDimension.How,
                (attempt, avoid, ct) => ExpandAsync(run, PromptDimension.How, index, id, attempt, avoid, ct),
                cancellationToken).ConfigureAwait(false);
            var lane = new LanePrompts(0, index, id, null, claim.What, claim.How, null, null, whatText.Usage + howText.Usage + claim.Usage, context.Time.GetElapsedTime(started));
            outcome = claim.DuplicateOf is { } owner ? Skip(lane, owner) : await FinishAsync(run, lane, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = Fail(0, id, null, BeamStage.Expand, ex);
        }

        Report(run, outcome);
    }

    /// <summary>A child lane: waits for its own parent's critique, refines one dimension, then the common steps.</summary>
    public async Task RunChildAsync(
        IterationRun run,
        BeamCandidate parent,
        int childOfParent,
        PromptDimension dimension,
        Task<LlmResponse> critique,
        CancellationToken cancellationToken)
    {
        var iteration = run.Number;

        // Everything that can throw is inside the try, the id included: a lane that never reports would hold the
        // ranking forever, so any exception becomes this candidate's failure.
        string? id = null;
        var stage = BeamStage.Critique;
        LaneEnd outcome;
        try
        {
            id = BeamRequests.ChildId(iteration, parent.Id, childOfParent);
            using var candidateSpan = BeamTelemetry.StartCandidate(id, parent.Id, iteration, run.Span?.Context ?? default);
            var started = context.Time.GetTimestamp();
            var critiqueText = (await critique.ConfigureAwait(false)).Text;

            stage = BeamStage.Refine;
            var request = BeamRequests.Refine(context.Prompt, context.Options, iteration, dimension, parent, critiqueText, childOfParent);
            var refined = await context.Calls.CallAsync(
                run, BeamStage.Refine, id, Engine.LlmGate, (Engine.Llm, request),
                static (s, ct) => s.Llm.RefineAsync(s.request, ct), cancellationToken).ConfigureAwait(false);
            var text = RequireText(refined, "refinement", dimension, id);
            var what = dimension == PromptDimension.What ? text.Text : parent.What;
            var how = dimension == PromptDimension.How ? text.Text : parent.How;

            // A refinement that repeats the parent or a sibling asks again for the same dimension, told what to avoid.
            var childId = id;
            var claim = await ClaimPromptsAsync(
                run, id, what, how, dimension,
                async (attempt, avoid, ct) => RequireText(
                    await context.Calls.CallAsync(
                        run, BeamStage.Refine, childId, Engine.LlmGate,
                        (Engine.Llm, Request: BeamRequests.Refine(context.Prompt, context.Options, iteration, dimension, parent, critiqueText, childOfParent, attempt, avoid)),
                        static (s, ct) => s.Llm.RefineAsync(s.Request, ct), ct).ConfigureAwait(false),
                    "refinement", dimension, childId),
                cancellationToken).ConfigureAwait(false);
            var lane = new LanePrompts(iteration, childOfParent, id, parent.Id, claim.What, claim.How, dimension, critiqueText, text.Usage + claim.Usage, context.Time.GetElapsedTime(started));
            outcome = claim.DuplicateOf is { } owner ? Skip(lane, owner) : await FinishAsync(run, lane, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = Fail(iteration, id ?? $"c{iteration}-?.{childOfParent}", parent?.Id, stage, ex);
        }

        Report(run, outcome);
    }

    /// <summary>The critique of a parent for the next iteration <paramref name="run"/>, whose spending it counts in.</summary>
    public async Task<LlmResponse> CritiqueAsync(IterationRun run, BeamCandidate parent, PromptDimension dimension, CancellationToken cancellationToken)
    {
        var request = BeamRequests.Critique(context.Prompt, run.Number, dimension, parent);
        var response = await context.Calls.CallAsync(
            run, BeamStage.Critique, parent.Id, Engine.LlmGate, (Engine.Llm, request),
            static (s, ct) => s.Llm.CritiqueAsync(s.request, ct), cancellationToken).ConfigureAwait(false);
        return RequireText(response, "critique", dimension, parent.Id);
    }

    /// <summary>Combine, render and score: the part of a lane that is the same in every iteration.</summary>
    private async Task<LaneEnd> FinishAsync(IterationRun run, LanePrompts lane, CancellationToken cancellationToken)
    {
        var stage = BeamStage.Combine;
        try
        {
            var usage = lane.Usage;
            var combineStarted = context.Time.GetTimestamp();
            var combineRequest = BeamRequests.Combine(context.Prompt, lane.What, lane.How);
            var combined = RequireText(
                await context.Calls.CallAsync(
                    run, BeamStage.Combine, lane.Id, Engine.LlmGate, (Engine.Llm, combineRequest),
                    static (s, ct) => s.Llm.CombineAsync(s.combineRequest, ct), cancellationToken).ConfigureAwait(false),
                "combined prompt", null, lane.Id);
            usage += combined.Usage;
            var combineTime = context.Time.GetElapsedTime(combineStarted);
            if (context.Prompts.TryClaimCombined(combined.Text, lane.Id) is { } owner)
            {
                // Different words that combine into an image prompt already rendered: the same image, not paid twice.
                context.Ledger.CountDuplicate(run.Number);
                return Skip(lane, owner);
            }

            stage = BeamStage.Image;
            var imageStarted = context.Time.GetTimestamp();
            var image = await context.Calls.CallAsync(
                run, BeamStage.Image, lane.Id, Engine.ImageGate, (Engine.ImageGenerator, combined.Text),
                static (s, ct) => s.ImageGenerator.GenerateAsync(s.Text, ct), cancellationToken).ConfigureAwait(false);
            RequireImage(image, lane.Id);
            context.Ledger.CountImage(run.Number);
            usage += image.Usage;
            var imageTime = context.Time.GetElapsedTime(imageStarted);
            context.Publish(new ImageGeneratedEvent(lane.Iteration, context.Elapsed, lane.Id, lane.ParentId, lane.What, lane.How, combined.Text, image));

            // Both scores of one image run at once.
            stage = BeamStage.Alignment;
            var alignmentTarget = BeamRequests.AlignmentTarget(context.Prompt, context.Options, combined.Text);
            var alignment = TimedScoreAsync(
                run, BeamStage.Alignment, lane.Id, (Engine.Scorer, image, alignmentTarget),
                static (s, ct) => s.Scorer.ScoreAlignmentAsync(s.image, s.alignmentTarget, ct), cancellationToken);
            var aesthetic = TimedScoreAsync(
                run, BeamStage.Aesthetic, lane.Id, (Engine.Scorer, image),
                static (s, ct) => s.Scorer.ScoreAestheticAsync(s.image, ct), cancellationToken);
            var (alignmentScore, alignmentTime) = await AwaitBothAsync(alignment, aesthetic).ConfigureAwait(false);
            stage = BeamStage.Aesthetic;
            var (aestheticScore, aestheticTime) = await aesthetic.ConfigureAwait(false);
            usage += alignmentScore.Usage + aestheticScore.Usage;

            var candidate = new BeamCandidate
            {
                Id = lane.Id,
                ParentId = lane.ParentId,
                Iteration = lane.Iteration,
                VariantIndex = lane.VariantIndex,
                What = lane.What,
                How = lane.How,
                CombinedPrompt = combined.Text,
                Image = image,
                Alignment = alignmentScore.Score,
                AlignmentAnalysis = alignmentScore.Analysis,
                Aesthetic = aestheticScore.Score,
                AestheticAnalysis = aestheticScore.Analysis,
                Total = BeamRanking.Total(context.Options.Alpha, alignmentScore.Score, aestheticScore.Score),
                RefinedDimension = lane.RefinedDimension,
                Critique = lane.Critique,
                Timings = new CandidateTimings(lane.PromptTime, combineTime, imageTime, alignmentTime, aestheticTime),
                Usage = usage,
            };

            context.Telemetry.CandidateScored(candidate);
            BeamSearchLog.CandidateScored(context.Logger, candidate.Id, candidate.Total, candidate.Alignment, candidate.Aesthetic);
            context.Publish(new CandidateScoredEvent(candidate, context.Elapsed));
            return new LaneEnd(candidate, Skipped: false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return Fail(lane.Iteration, lane.Id, lane.ParentId, stage, ex);
        }
    }

    private async Task<LlmResponse> ExpandAsync(
        IterationRun run, PromptDimension dimension, int index, string id, int attempt, IReadOnlyList<string> avoid, CancellationToken cancellationToken)
    {
        var request = BeamRequests.Expand(context.Prompt, context.Options, dimension, index, attempt, avoid);
        var response = await context.Calls.CallAsync(
            run, BeamStage.Expand, id, dimension, Engine.LlmGate, (Engine.Llm, request),
            static (s, ct) => s.Llm.ExpandAsync(s.request, ct), cancellationToken).ConfigureAwait(false);
        return RequireText(response, "expansion", dimension, id);
    }

    private async Task<(VisionScore Score, TimeSpan Duration)> TimedScoreAsync<TState>(
        IterationRun run,
        BeamStage stage,
        string id,
        TState state,
        Func<TState, CancellationToken, Task<VisionScore>> score,
        CancellationToken cancellationToken)
    {
        var started = context.Time.GetTimestamp();
        var result = await context.Calls.CallAsync(run, stage, id, Engine.ScoringGate, state, score, cancellationToken).ConfigureAwait(false);
        RequireScore(result, stage, id);
        return (result, context.Time.GetElapsedTime(started));
    }

    /// <summary>Awaits the first task; when it fails, still waits for the second so nothing is left running or unobserved.</summary>
    private static async Task<T1> AwaitBothAsync<T1, T2>(Task<T1> first, Task<T2> second)
    {
        try
        {
            return await first.ConfigureAwait(false);
        }
        catch
        {
            await ((Task)second).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }
    }

    private void Report(IterationRun run, LaneEnd end)
    {
        if (end.Skipped)
        {
            context.ReportSkipped(run);
        }
        else
        {
            context.Report(run, end.Candidate);
        }
    }

    private LaneEnd Fail(int iteration, string id, string? parentId, BeamStage stage, Exception exception)
    {
        context.Ledger.RecordFailure(id, stage, exception);
        context.Telemetry.CandidateFailed(stage, exception);
        BeamSearchLog.CandidateFailed(context.Logger, id, stage, exception);
        if (exception is ProviderOutputException { RawReply: { } reply })
        {
            // Model output may repeat the prompt, so it is logged at Debug only, never in the Warning above.
            BeamSearchLog.CandidateRawReply(context.Logger, id, reply);
        }

        context.Publish(new CandidateFailedEvent(iteration, context.Elapsed, id, parentId, stage, exception));
        return default;
    }

    /// <summary>How a lane ended: a scored candidate, a failure (neither), or a slot given up to a duplicate.</summary>
    private readonly record struct LaneEnd(BeamCandidate? Candidate, bool Skipped);

    /// <summary>A lane's prompts once written, with what writing them took.</summary>
    private readonly record struct LanePrompts(
        int Iteration,
        int VariantIndex,
        string Id,
        string? ParentId,
        string What,
        string How,
        PromptDimension? RefinedDimension,
        string? Critique,
        ProviderUsage Usage,
        TimeSpan PromptTime);
}
