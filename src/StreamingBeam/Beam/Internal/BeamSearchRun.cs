using System.Globalization;
using System.Threading.Channels;
using StreamingBeam.Concurrency;
using StreamingBeam.Diagnostics;
using StreamingBeam.Logging;

namespace StreamingBeam.Beam.Internal;

/// <summary>One beam search: drives the iterations, runs one lane per candidate, and publishes events.</summary>
/// <remarks>
/// Every candidate is an independent async lane. Inside an iteration, the only waits are a lane's own inputs (its two
/// expansions, or its own parent's critique) and the engine's concurrency limits; the ranking after each iteration is the
/// one barrier. Lanes never throw for provider failures: they publish <see cref="CandidateFailedEvent"/> and return
/// <see langword="null"/>. Only cancellation of the search (and bugs) escape a lane.
/// </remarks>
internal sealed class BeamSearchRun
{
    private readonly BeamSearchEngine _engine;
    private readonly string _prompt;
    private readonly BeamSearchOptions _options;
    private readonly ChannelWriter<BeamEvent> _events;
    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly BeamTelemetry _telemetry;
    private readonly object _lock = new();
    private ProviderUsage _usage;
    private int _images;
    private int _scored;
    private int _failed;
    private (string CandidateId, BeamStage Stage, Exception Error)? _firstFailure;

    public BeamSearchRun(BeamSearchEngine engine, string prompt, BeamSearchOptions options, ChannelWriter<BeamEvent> events)
    {
        _engine = engine;
        _prompt = prompt;
        _options = options;
        _events = events;
        _time = engine.TimeProvider;
        _startTimestamp = _time.GetTimestamp();
        _telemetry = new BeamTelemetry(StreamingBeamMetrics.Shared, _time, _startTimestamp);
    }

    private TimeSpan Elapsed => _time.GetElapsedTime(_startTimestamp);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var logger = _engine.Logger;
        using var searchSpan = BeamTelemetry.StartSearch(_options);
        try
        {
            BeamSearchLog.SearchStarted(logger, _options.BeamWidth, _options.KeepTop, _options.MaxIterations);
            BeamSearchLog.SearchPrompt(logger, _prompt);
            Publish(new SearchStartedEvent(_prompt, _options, TimeSpan.Zero));

            var result = await RunIterationsAsync(cancellationToken).ConfigureAwait(false);

            BeamSearchLog.SearchCompleted(logger, result.Iterations, result.StopReason, result.Best.Total, result.Best.Id);
            BeamTelemetry.SearchCompleted(searchSpan, result);
            Publish(new SearchCompletedEvent(result, result.Iterations - 1));
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            BeamSearchLog.SearchCanceled(logger);
            BeamTelemetry.Failed(searchSpan, ex);
            throw;
        }
        catch (Exception ex)
        {
            BeamSearchLog.SearchFailed(logger, ex);
            BeamTelemetry.Failed(searchSpan, ex);
            throw;
        }
        finally
        {
            _events.TryComplete();
        }
    }

    private async Task<BeamSearchResult> RunIterationsAsync(CancellationToken cancellationToken)
    {
        var width = _options.BeamWidth;
        var parents = new List<BeamCandidate>();
        BeamCandidate? best = null;
        var bestTotals = new List<double>();
        var stopReason = BeamStopReason.MaxIterationsReached;
        var completed = 0;
        var costBeforeIteration = 0m;
        var lastIterationCost = 0m;

        for (var iteration = 0; iteration < _options.MaxIterations; iteration++)
        {
            if (iteration > 0 && BudgetStop(lastIterationCost) is { } budgetReason)
            {
                stopReason = budgetReason;
                break;
            }

            using var iterationSpan = BeamTelemetry.StartIteration(iteration);
            var outcomes = await (iteration == 0
                ? RunFirstIterationAsync(cancellationToken)
                : RunChildIterationAsync(iteration, parents, cancellationToken)).ConfigureAwait(false);

            var pool = new List<BeamCandidate>(width + parents.Count);
            foreach (var candidate in outcomes)
            {
                if (candidate is not null)
                {
                    pool.Add(candidate);
                    if (BeamRanking.IsBetter(candidate, best))
                    {
                        best = candidate;
                    }
                }
            }

            var scored = pool.Count;
            var failed = width - scored;
            if (iteration > 0 && _options.RankingPool == RankingPool.ChildrenAndParents)
            {
                pool.AddRange(parents);
            }

            parents = BeamRanking.SelectSurvivors(pool, _options.KeepTop);
            completed++;

            var spent = TotalUsage().Cost;
            lastIterationCost = spent - costBeforeIteration;
            costBeforeIteration = spent;

            BeamSearchLog.IterationCompleted(_engine.Logger, iteration, scored, failed, best?.Total ?? double.NaN);
            Publish(new IterationCompletedEvent(iteration, Elapsed, parents.ToArray(), best, scored, failed));

            if (best is null)
            {
                throw NothingScored(iteration);
            }

            if (failed > _options.MaxFailureRatio * width || parents.Count == 0)
            {
                stopReason = BeamStopReason.TooManyFailures;
                break;
            }

            if (_options.TargetScore is { } target && best.Total >= target)
            {
                stopReason = BeamStopReason.TargetScoreReached;
                break;
            }

            bestTotals.Add(best.Total);
            if (HasConverged(bestTotals))
            {
                stopReason = BeamStopReason.Converged;
                break;
            }
        }

        return new BeamSearchResult
        {
            Best = best!,
            StopReason = stopReason,
            Iterations = completed,
            Elapsed = Elapsed,
            Usage = TotalUsage(),
            CandidatesScored = Volatile.Read(ref _scored),
            CandidatesFailed = Volatile.Read(ref _failed),
        };
    }

    private BeamStopReason? BudgetStop(decimal lastIterationCost)
    {
        if (_options.MaxImages is { } maxImages && Volatile.Read(ref _images) + _options.BeamWidth > maxImages)
        {
            return BeamStopReason.ImageBudgetExhausted;
        }

        if (_options.MaxCost is { } maxCost && TotalUsage().Cost + lastIterationCost > maxCost)
        {
            return BeamStopReason.CostBudgetExhausted;
        }

        return null;
    }

    private bool HasConverged(List<double> bestTotals)
    {
        if (_options.ConvergenceEpsilon is not { } epsilon)
        {
            return false;
        }

        var patience = _options.ConvergencePatience;
        if (bestTotals.Count <= patience)
        {
            return false;
        }

        return bestTotals[^1] - bestTotals[^(patience + 1)] < epsilon;
    }

    private BeamSearchException NothingScored(int iteration)
    {
        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"No candidate was ever scored: all {_options.BeamWidth} candidates of iteration {iteration} failed.");
        if (_firstFailure is { } first)
        {
            message += string.Create(
                CultureInfo.InvariantCulture,
                $" The first failure was candidate {first.CandidateId} at stage {first.Stage}: {first.Error.Message}");
            return new BeamSearchException(message, first.Error);
        }

        return new BeamSearchException(message);
    }

    private Task<BeamCandidate?[]> RunFirstIterationAsync(CancellationToken cancellationToken)
    {
        var lanes = new Task<BeamCandidate?>[_options.BeamWidth];
        for (var index = 0; index < lanes.Length; index++)
        {
            lanes[index] = RunRootLaneAsync(index, cancellationToken);
        }

        return Task.WhenAll(lanes);
    }

    private Task<BeamCandidate?[]> RunChildIterationAsync(int iteration, List<BeamCandidate> parents, CancellationToken cancellationToken)
    {
        var dimension = _options.DimensionFor(iteration);
        var lanes = new Task<BeamCandidate?>[_options.BeamWidth];
        var index = 0;
        for (var rank = 0; rank < parents.Count; rank++)
        {
            var parent = parents[rank];

            // One critique per parent, shared by its children: each child starts refining the moment its own parent's
            // critique is done, whatever the other parents' critiques are doing.
            var critique = CritiqueAsync(iteration, parent, dimension, cancellationToken);
            var children = BeamRanking.ChildrenOf(rank, parents.Count, _options.BeamWidth);
            for (var child = 0; child < children; child++)
            {
                lanes[index] = RunChildLaneAsync(iteration, index, parent, child, dimension, critique, cancellationToken);
                index++;
            }
        }

        return Task.WhenAll(lanes);
    }

    private async Task<BeamCandidate?> RunRootLaneAsync(int index, CancellationToken cancellationToken)
    {
        var id = BeamRequests.CandidateId(0, index);
        using var candidateSpan = BeamTelemetry.StartCandidate(id, null, 0);
        var stage = BeamStage.Expand;
        try
        {
            var started = _time.GetTimestamp();
            var what = ExpandAsync(PromptDimension.What, index, id, cancellationToken);
            var how = ExpandAsync(PromptDimension.How, index, id, cancellationToken);
            var whatText = await AwaitBothAsync(what, how).ConfigureAwait(false);
            var howText = await how.ConfigureAwait(false);
            var lane = new Lane(0, index, id, null, whatText.Text, howText.Text, null, null, whatText.Usage + howText.Usage, _time.GetElapsedTime(started));
            return await FinishLaneAsync(lane, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return Fail(0, id, null, stage, ex);
        }
    }

    private async Task<BeamCandidate?> RunChildLaneAsync(
        int iteration,
        int index,
        BeamCandidate parent,
        int childOfParent,
        PromptDimension dimension,
        Task<LlmResponse> critique,
        CancellationToken cancellationToken)
    {
        var id = BeamRequests.CandidateId(iteration, index);
        using var candidateSpan = BeamTelemetry.StartCandidate(id, parent.Id, iteration);
        var stage = BeamStage.Critique;
        try
        {
            var started = _time.GetTimestamp();
            var critiqueText = (await critique.ConfigureAwait(false)).Text;

            stage = BeamStage.Refine;
            var request = BeamRequests.Refine(_prompt, _options, iteration, dimension, parent, critiqueText, childOfParent);
            var refined = await CallAsync(
                BeamStage.Refine, id, _engine.LlmLimiter, (_engine.Llm, request),
                static (s, ct) => s.Llm.RefineAsync(s.request, ct), cancellationToken).ConfigureAwait(false);
            var text = RequireText(refined, "refinement", dimension, id);
            var what = dimension == PromptDimension.What ? text.Text : parent.What;
            var how = dimension == PromptDimension.How ? text.Text : parent.How;
            var lane = new Lane(iteration, index, id, parent.Id, what, how, dimension, critiqueText, text.Usage, _time.GetElapsedTime(started));
            return await FinishLaneAsync(lane, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return Fail(iteration, id, parent.Id, stage, ex);
        }
    }

    /// <summary>Combine, render and score: the part of a lane that is the same in every iteration.</summary>
    private async Task<BeamCandidate?> FinishLaneAsync(Lane lane, CancellationToken cancellationToken)
    {
        var stage = BeamStage.Combine;
        try
        {
            var usage = lane.Usage;
            var combineStarted = _time.GetTimestamp();
            var combineRequest = BeamRequests.Combine(_prompt, lane.What, lane.How);
            var combined = RequireText(
                await CallAsync(
                    BeamStage.Combine, lane.Id, _engine.LlmLimiter, (_engine.Llm, combineRequest),
                    static (s, ct) => s.Llm.CombineAsync(s.combineRequest, ct), cancellationToken).ConfigureAwait(false),
                "combined prompt", null, lane.Id);
            usage += combined.Usage;
            var combineTime = _time.GetElapsedTime(combineStarted);

            stage = BeamStage.Image;
            var imageStarted = _time.GetTimestamp();
            var image = await CallAsync(
                BeamStage.Image, lane.Id, _engine.ImageLimiter, (_engine.ImageGenerator, combined.Text),
                static (s, ct) => s.ImageGenerator.GenerateAsync(s.Text, ct), cancellationToken).ConfigureAwait(false);
            RequireImage(image, lane.Id);
            AddUsage(image.Usage);
            Interlocked.Increment(ref _images);
            usage += image.Usage;
            var imageTime = _time.GetElapsedTime(imageStarted);
            Publish(new ImageGeneratedEvent(lane.Iteration, Elapsed, lane.Id, lane.ParentId, lane.What, lane.How, combined.Text, image));

            // Both scores of one image run at once.
            stage = BeamStage.Alignment;
            var alignmentTarget = BeamRequests.AlignmentTarget(_prompt, _options, combined.Text);
            var alignment = TimedScoreAsync(
                BeamStage.Alignment, lane.Id, (_engine.Scorer, image, alignmentTarget),
                static (s, ct) => s.Scorer.ScoreAlignmentAsync(s.image, s.alignmentTarget, ct), cancellationToken);
            var aesthetic = TimedScoreAsync(
                BeamStage.Aesthetic, lane.Id, (_engine.Scorer, image),
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
                Index = lane.Index,
                What = lane.What,
                How = lane.How,
                CombinedPrompt = combined.Text,
                Image = image,
                Alignment = alignmentScore.Score,
                AlignmentAnalysis = alignmentScore.Analysis,
                Aesthetic = aestheticScore.Score,
                AestheticAnalysis = aestheticScore.Analysis,
                Total = BeamRanking.Total(_options.Alpha, alignmentScore.Score, aestheticScore.Score),
                RefinedDimension = lane.RefinedDimension,
                Critique = lane.Critique,
                Timings = new CandidateTimings(lane.PromptTime, combineTime, imageTime, alignmentTime, aestheticTime),
                Usage = usage,
            };

            Interlocked.Increment(ref _scored);
            _telemetry.CandidateScored(candidate);
            BeamSearchLog.CandidateScored(_engine.Logger, candidate.Id, candidate.Total, candidate.Alignment, candidate.Aesthetic);
            Publish(new CandidateScoredEvent(candidate, Elapsed));
            return candidate;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return Fail(lane.Iteration, lane.Id, lane.ParentId, stage, ex);
        }
    }

    private async Task<LlmResponse> ExpandAsync(PromptDimension dimension, int index, string id, CancellationToken cancellationToken)
    {
        var request = BeamRequests.Expand(_prompt, _options, dimension, index);
        var response = await CallAsync(
            BeamStage.Expand, id, _engine.LlmLimiter, (_engine.Llm, request),
            static (s, ct) => s.Llm.ExpandAsync(s.request, ct), cancellationToken).ConfigureAwait(false);
        return RequireText(response, "expansion", dimension, id);
    }

    private async Task<LlmResponse> CritiqueAsync(int iteration, BeamCandidate parent, PromptDimension dimension, CancellationToken cancellationToken)
    {
        var request = BeamRequests.Critique(_prompt, iteration, dimension, parent);
        var response = await CallAsync(
            BeamStage.Critique, parent.Id, _engine.LlmLimiter, (_engine.Llm, request),
            static (s, ct) => s.Llm.CritiqueAsync(s.request, ct), cancellationToken).ConfigureAwait(false);
        return RequireText(response, "critique", dimension, parent.Id);
    }

    private async Task<(VisionScore Score, TimeSpan Duration)> TimedScoreAsync<TState>(
        BeamStage stage,
        string id,
        TState state,
        Func<TState, CancellationToken, Task<VisionScore>> score,
        CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var result = await CallAsync(stage, id, _engine.ScoringLimiter, state, score, cancellationToken).ConfigureAwait(false);
        RequireScore(result, stage, id);
        return (result, _time.GetElapsedTime(started));
    }

    /// <summary>Calls a provider under its concurrency limit, with the stage timeout and retries, and counts its usage.</summary>
    /// <remarks>A <see cref="ValueTask{T}"/>, awaited exactly once by every caller: with providers that complete
    /// synchronously this path allocates nothing, which keeps a lane's cost flat as the beam widens.</remarks>
    private async ValueTask<T> CallAsync<TState, T>(
        BeamStage stage,
        string id,
        AsyncLimiter? limiter,
        TState state,
        Func<TState, CancellationToken, Task<T>> call,
        CancellationToken cancellationToken)
    {
        var retry = _options.Retry;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var result = await CallOnceAsync(stage, id, limiter, state, call, cancellationToken).ConfigureAwait(false);
                AddUsage(result switch
                {
                    LlmResponse text => text.Usage,
                    VisionScore score => score.Usage,
                    _ => default, // images are counted by the lane, which also counts them against the image budget
                });
                return result;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && attempt < retry.MaxRetries && retry.IsRetryable(ex))
            {
                var delay = retry.DelayBefore(attempt + 1);
                BeamSearchLog.Retrying(_engine.Logger, stage, id, delay, attempt + 1, ex);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask<T> CallOnceAsync<TState, T>(
        BeamStage stage,
        string id,
        AsyncLimiter? limiter,
        TState state,
        Func<TState, CancellationToken, Task<T>> call,
        CancellationToken cancellationToken)
    {
        if (limiter is not null)
        {
            await limiter.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var telemetry = _telemetry.StartProviderCall(stage, id);
        try
        {
            if (_options.StageTimeout is not { } timeout)
            {
                return telemetry.Succeeded(await call(state, cancellationToken).ConfigureAwait(false));
            }

            using var timeoutSource = new CancellationTokenSource(timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
            try
            {
                return telemetry.Succeeded(await call(state, linked.Token).ConfigureAwait(false));
            }
            catch (OperationCanceledException ex) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(
                    string.Create(CultureInfo.InvariantCulture, $"The {stage} call did not finish within the stage timeout of {timeout}."),
                    ex);
            }
        }
        catch (Exception ex)
        {
            telemetry.Failed(ex);
            throw;
        }
        finally
        {
            telemetry.Dispose();
            limiter?.Release();
        }
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

    private static LlmResponse RequireText(LlmResponse? response, string what, PromptDimension? dimension, string id)
    {
        if (response is null || string.IsNullOrWhiteSpace(response.Text))
        {
            var returned = response is null ? "a null response" : response.Text is null ? "a null text" : "an empty text";
            var of = dimension is { } d ? $" {d.ToString().ToUpperInvariant()}" : string.Empty;
            throw new ProviderOutputException($"The language model returned {returned} for the{of} {what} of candidate {id}.");
        }

        return response;
    }

    private static void RequireImage(GeneratedImage? image, string id)
    {
        if (image is null)
        {
            throw new ProviderOutputException($"The image generator returned a null image for candidate {id}.");
        }

        if (!image.HasContent)
        {
            throw new ProviderOutputException($"The image generator returned an image with neither data nor a URI for candidate {id}.");
        }
    }

    private static void RequireScore(VisionScore? score, BeamStage stage, string id)
    {
        var kind = stage == BeamStage.Alignment ? "alignment" : "aesthetic";
        if (score is null)
        {
            throw new ProviderOutputException($"The vision scorer returned a null {kind} score for candidate {id}.");
        }

        if (!(score.Score >= 0 && score.Score <= 1))
        {
            throw new ProviderOutputException(string.Create(
                CultureInfo.InvariantCulture,
                $"The vision scorer returned an {kind} score of {score.Score} for candidate {id}; scores must be in [0, 1]."));
        }
    }

    private BeamCandidate? Fail(int iteration, string id, string? parentId, BeamStage stage, Exception exception)
    {
        lock (_lock)
        {
            _firstFailure ??= (id, stage, exception);
        }

        Interlocked.Increment(ref _failed);
        _telemetry.CandidateFailed(stage, exception);
        BeamSearchLog.CandidateFailed(_engine.Logger, id, stage, exception);
        Publish(new CandidateFailedEvent(iteration, Elapsed, id, parentId, stage, exception));
        return null;
    }

    private void AddUsage(ProviderUsage usage)
    {
        lock (_lock)
        {
            _usage += usage;
        }
    }

    private ProviderUsage TotalUsage()
    {
        lock (_lock)
        {
            return _usage;
        }
    }

    private void Publish(BeamEvent e) => _events.TryWrite(e);

    private readonly record struct Lane(
        int Iteration,
        int Index,
        string Id,
        string? ParentId,
        string What,
        string How,
        PromptDimension? RefinedDimension,
        string? Critique,
        ProviderUsage Usage,
        TimeSpan PromptTime);
}
