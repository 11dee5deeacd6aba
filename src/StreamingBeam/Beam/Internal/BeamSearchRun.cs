using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using StreamingBeam.Concurrency;
using StreamingBeam.Diagnostics;
using StreamingBeam.Logging;

namespace StreamingBeam.Beam.Internal;

/// <summary>One beam search: drives the iterations, runs one lane per candidate, and publishes events.</summary>
/// <remarks>
/// <para>
/// Every candidate is an independent async lane. Inside an iteration, the only waits are a lane's own inputs (its two
/// expansions, or its own parent's critique) and the engine's concurrency limits. Lanes never throw for provider failures:
/// they publish <see cref="CandidateFailedEvent"/> and report a <see langword="null"/> outcome. Only cancellation (and
/// bugs) escape a lane.
/// </para>
/// <para>
/// The driver is the only code that reads or changes the search's state (the iterations, the survivors, the best so
/// far), so that state needs no lock: lanes hand their outcomes to it through <see cref="_outcomes"/>. The driver ranks
/// each iteration once all of its lanes have reported (the barrier). Before that, with
/// <see cref="BeamSearchOptions.PromoteCertainSurvivors"/>, it starts the critique and the certain children of every
/// candidate whose survival no straggler can change; the ranking itself is still computed once, at the barrier, the same
/// way in both modes, which is what keeps the outcome identical.
/// </para>
/// </remarks>
internal sealed class BeamSearchRun
{
    private readonly BeamSearchEngine _engine;
    private readonly string _prompt;
    private readonly BeamSearchOptions _options;
    private readonly ChannelWriter<BeamEvent> _events;
    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly TimeSpan _elapsedBefore;
    private readonly BeamCheckpoint? _resumedFrom;
    private readonly BeamTelemetry _telemetry;
    private readonly object _lock = new();
    private readonly Channel<LaneOutcome> _outcomes = Channel.CreateUnbounded<LaneOutcome>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    // Driver-only state.
    private readonly List<Task> _work = [];
    private readonly List<double> _bestTotals = [];
    private List<BeamCandidate> _parents = [];
    private IterationRun? _previous;
    private IterationRun? _current;
    private IterationRun? _next;
    private ActivityContext _searchSpan;
    private BeamCandidate? _best;
    private int _completed;
    private int _imagesThrough;
    private ProviderUsage _usageThrough;
    private decimal _lastIterationCost;
    private int _scoredThrough;
    private int _failedThrough;

    // Shared with lanes.
    private ProviderUsage _usage;
    private (string CandidateId, BeamStage Stage, Exception Error)? _firstFailure;

    public BeamSearchRun(BeamSearchEngine engine, string prompt, BeamSearchOptions options, ChannelWriter<BeamEvent> events)
    {
        _engine = engine;
        _prompt = prompt;
        _options = options;
        _events = events;
        _time = engine.TimeProvider;
        _startTimestamp = _time.GetTimestamp();
        _telemetry = new BeamTelemetry(engine.Metrics, _time, _startTimestamp);
    }

    /// <summary>A search resumed from a checkpoint: the state right after the checkpoint's ranking.</summary>
    public BeamSearchRun(BeamSearchEngine engine, BeamCheckpoint checkpoint, BeamSearchOptions options, ChannelWriter<BeamEvent> events)
        : this(engine, checkpoint.Prompt, options, events)
    {
        _resumedFrom = checkpoint;
        _elapsedBefore = checkpoint.Elapsed;
        _parents = [.. checkpoint.Survivors];
        _best = checkpoint.Best;
        _bestTotals.AddRange(checkpoint.BestTotals);
        _completed = checkpoint.Iteration + 1;
        _imagesThrough = checkpoint.Images;
        _usageThrough = checkpoint.Usage;
        _usage = checkpoint.Usage;
        _lastIterationCost = checkpoint.LastIterationCost;
        _scoredThrough = checkpoint.CandidatesScored;
        _failedThrough = checkpoint.CandidatesFailed;
    }

    private TimeSpan Elapsed => _elapsedBefore + _time.GetElapsedTime(_startTimestamp);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var logger = _engine.Logger;

        // Lanes run on their own token so that the driver can stop them when it fails for any reason, not only when the
        // caller cancels.
        using var lanes = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var searchSpan = BeamTelemetry.StartSearch(_options);
        _searchSpan = searchSpan?.Context ?? default;
        try
        {
            BeamSearchLog.SearchStarted(logger, _options.BeamWidth, _options.KeepTop, _options.MaxIterations);
            BeamSearchLog.SearchPrompt(logger, _prompt);
            Publish(_resumedFrom is { } checkpoint ? new SearchStartedEvent(checkpoint, Elapsed) : new SearchStartedEvent(_prompt, _options, TimeSpan.Zero));

            var result = await RunIterationsAsync(lanes.Token).ConfigureAwait(false);

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
            // Nothing outlives the search: work still running (only on cancellation or failure) is stopped and awaited,
            // which also observes every exception.
            await lanes.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(_work).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _current?.Span?.Dispose();
            _next?.Span?.Dispose();
            _events.TryComplete();
        }
    }

    private async Task<BeamSearchResult> RunIterationsAsync(CancellationToken cancellationToken)
    {
        var stopReason = _resumedFrom is { } checkpoint
            ? StopAfterRanking(checkpoint.Iteration, checkpoint.Failed)
            : null;

        for (var iteration = _completed; stopReason is null && iteration < _options.MaxIterations; iteration++)
        {
            if (iteration > 0 && BudgetStop() is { } budgetReason)
            {
                stopReason = budgetReason;
                break;
            }

            var current = _current = iteration == 0 ? StartFirstIteration(cancellationToken) : StartChildIteration(iteration, cancellationToken);
            await WaitForIterationAsync(current, cancellationToken).ConfigureAwait(false);

            // The barrier: every lane of the iteration has reported. The ranking is computed here in both modes.
            var scored = current.Scored.Count;
            var failed = current.Failed;
            _parents = BeamRanking.SelectSurvivors(RankingPoolOf(current), _options.KeepTop);
            _previous = current;
            _completed++;
            _imagesThrough += Volatile.Read(ref current.Images);
            var iterationUsage = IterationUsage(current);
            _usageThrough += iterationUsage;
            _lastIterationCost = iterationUsage.Cost;
            _scoredThrough += scored;
            _failedThrough += failed;

            if (_best is not null)
            {
                await SaveCheckpointAsync(iteration, scored, failed, cancellationToken).ConfigureAwait(false);
            }

            BeamSearchLog.IterationCompleted(_engine.Logger, iteration, scored, failed, _best?.Total ?? double.NaN);
            Publish(new IterationCompletedEvent(iteration, Elapsed, _parents.ToArray(), _best, scored, failed));
            current.Span?.Dispose();

            if (_best is null)
            {
                throw NothingScored(iteration);
            }

            stopReason = StopAfterRanking(iteration, failed);
        }

        return new BeamSearchResult
        {
            Best = _best!,
            StopReason = stopReason ?? BeamStopReason.MaxIterationsReached,
            Iterations = _completed,
            Elapsed = Elapsed,
            Usage = TotalUsage(),
            CandidatesScored = _scoredThrough,
            CandidatesFailed = _failedThrough,
        };
    }

    /// <summary>The stop rules that follow a ranking, in order; <see langword="null"/> to go on.</summary>
    private BeamStopReason? StopAfterRanking(int iteration, int failed)
    {
        if (failed > _options.MaxFailureRatio * _options.BeamWidth || _parents.Count == 0)
        {
            return BeamStopReason.TooManyFailures;
        }

        if (_options.TargetScore is { } target && _best!.Total >= target)
        {
            return BeamStopReason.TargetScoreReached;
        }

        // Recorded once per ranking, whether the ranking ran now or before a resume.
        if (_bestTotals.Count == iteration)
        {
            _bestTotals.Add(_best!.Total);
        }

        return HasConverged() ? BeamStopReason.Converged : null;
    }

    /// <summary>Hands the state after a ranking to the checkpoint store, before the ranking is published, so that a
    /// consumer that sees <see cref="IterationCompletedEvent"/> knows its checkpoint is stored.</summary>
    /// <remarks>A store that fails is logged and the search goes on: losing a checkpoint must not lose the search.</remarks>
    private async Task SaveCheckpointAsync(int iteration, int scored, int failed, CancellationToken cancellationToken)
    {
        if (_options.CheckpointId is not { } id || _engine.CheckpointStore is not { } store)
        {
            return;
        }

        var checkpoint = new BeamCheckpoint
        {
            CheckpointId = id,
            Prompt = _prompt,
            Options = _options,
            Iteration = iteration,
            Survivors = _parents.ToArray(),
            Best = _best!,
            BestTotals = _bestTotals.ToArray(),
            Scored = scored,
            Failed = failed,
            Usage = _usageThrough,
            LastIterationCost = _lastIterationCost,
            Images = _imagesThrough,
            CandidatesScored = _scoredThrough,
            CandidatesFailed = _failedThrough,
            Elapsed = Elapsed,
            SavedAt = _time.GetUtcNow(),
        };

        try
        {
            await store.SaveAsync(checkpoint, cancellationToken).ConfigureAwait(false);
            BeamSearchLog.CheckpointSaved(_engine.Logger, id, iteration);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            BeamSearchLog.CheckpointFailed(_engine.Logger, id, iteration, ex);
        }
    }

    /// <summary>Takes the outcomes of the iteration's lanes until all have reported, promoting certain survivors as
    /// they appear. Outcomes of the next iteration's early lanes are kept for when it becomes current.</summary>
    private async Task WaitForIterationAsync(IterationRun current, CancellationToken cancellationToken)
    {
        while (current.Early?.TryDequeue(out var early) == true)
        {
            Take(current, early);
        }

        PromoteCertainSurvivors(current, cancellationToken);
        var reader = _outcomes.Reader;
        while (current.Finished < _options.BeamWidth)
        {
            await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
            while (reader.TryRead(out var outcome))
            {
                if (outcome.Iteration == current)
                {
                    Take(current, outcome.Candidate);
                }
                else
                {
                    (outcome.Iteration.Early ??= new()).Enqueue(outcome.Candidate);
                }
            }

            PromoteCertainSurvivors(current, cancellationToken);
        }
    }

    private void Take(IterationRun current, BeamCandidate? candidate)
    {
        current.Finished++;
        if (candidate is null)
        {
            current.Failed++;
            return;
        }

        current.Scored.Add(candidate);
        if (BeamRanking.IsBetter(candidate, _best))
        {
            _best = candidate;
        }

        if (current.Leaders is { } leaders)
        {
            BeamRanking.InsertRanked(leaders, candidate, _options.KeepTop);
        }
    }

    /// <summary>Starts the critique and certain children of every candidate of the ranking pool whose survival is
    /// already certain: fewer than M others are still running or rank above it.</summary>
    private void PromoteCertainSurvivors(IterationRun current, CancellationToken cancellationToken)
    {
        var keep = _options.KeepTop;
        var running = _options.BeamWidth - current.Finished;
        if (!_options.PromoteCertainSurvivors || running >= keep || running == 0 || !NextIterationIsCertain(current, running))
        {
            // With nothing running the barrier is here anyway, and the ranking starts everything in rank order.
            return;
        }

        // Only the top M of the pool can ever be certain; from here on, arrivals are inserted in order.
        var leaders = current.Leaders ??= BeamRanking.SelectSurvivors(RankingPoolOf(current), keep);
        var certain = Math.Min(keep - running, leaders.Count);
        for (var rank = 0; rank < certain; rank++)
        {
            var parent = leaders[rank];
            if (current.Promoted?.ContainsKey(parent) != true)
            {
                Promote(current, parent, cancellationToken);
            }
        }
    }

    /// <summary>A new list of what the iteration's ranking chooses from: its scored candidates so far, and its parents
    /// when they compete (<see cref="RankingPool.ChildrenAndParents"/>). Used at the barrier and for promotion alike.</summary>
    private List<BeamCandidate> RankingPoolOf(IterationRun current)
    {
        var pooled = current.Number > 0 && _options.RankingPool == RankingPool.ChildrenAndParents;
        var pool = new List<BeamCandidate>(current.Scored.Count + (pooled ? _parents.Count : 0));
        pool.AddRange(current.Scored);
        if (pooled)
        {
            pool.AddRange(_parents);
        }

        return pool;
    }

    /// <summary>Whether no stop rule can fire at this iteration's ranking, whatever the running lanes do: only then may
    /// work of the next iteration start before it, so that promotion never spends on an iteration that will not run.</summary>
    private bool NextIterationIsCertain(IterationRun current, int running)
    {
        var options = _options;
        if (current.Number + 1 >= options.MaxIterations || options.TargetScore is not null || options.MaxCost is not null)
        {
            return false;
        }

        if (current.Failed + running > options.MaxFailureRatio * options.BeamWidth)
        {
            return false;
        }

        if (options.MaxImages is { } maxImages
            && _imagesThrough + Volatile.Read(ref current.Images) + running + options.BeamWidth > maxImages)
        {
            return false;
        }

        if (options.ConvergenceEpsilon is { } epsilon)
        {
            // The best total after this iteration is at least the best so far, so once that beats the total
            // ConvergencePatience rankings ago by epsilon, convergence cannot stop the search here.
            var totals = _bestTotals.Count + 1;
            if (totals > options.ConvergencePatience
                && !(_best is { } best && best.Total - _bestTotals[totals - 1 - options.ConvergencePatience] >= epsilon))
            {
                return false;
            }
        }

        return true;
    }

    private void Promote(IterationRun current, BeamCandidate parent, CancellationToken cancellationToken)
    {
        var next = _next ??= NewIteration(current.Number + 1);
        var dimension = _options.DimensionFor(next.Number);
        var critique = StartCritique(next, parent, dimension, cancellationToken);
        var children = BeamRanking.CertainChildren(_options.KeepTop, _options.BeamWidth);
        (current.Promoted ??= new(ReferenceEqualityComparer.Instance)).Add(parent, new PromotedParent(critique, children));
        for (var child = 0; child < children; child++)
        {
            StartChild(next, parent, child, dimension, critique, cancellationToken);
        }
    }

    private IterationRun StartFirstIteration(CancellationToken cancellationToken)
    {
        var run = NewIteration(0);
        for (var index = 0; index < _options.BeamWidth; index++)
        {
            _work.Add(RunRootLaneAsync(run, index, cancellationToken));
        }

        return run;
    }

    /// <summary>Starts what the ranking of the previous iteration leaves to start: the critique and children of each
    /// survivor, or for a promoted one, the children that depended on its final rank.</summary>
    private IterationRun StartChildIteration(int iteration, CancellationToken cancellationToken)
    {
        var run = _next ?? NewIteration(iteration);
        _next = null;
        var promoted = _previous?.Promoted;
        var dimension = _options.DimensionFor(iteration);
        var matched = 0;
        for (var rank = 0; rank < _parents.Count; rank++)
        {
            var parent = _parents[rank];
            Task<LlmResponse> critique;
            var first = 0;
            if (promoted is not null && promoted.TryGetValue(parent, out var early))
            {
                (critique, first) = (early.Critique, early.ChildrenStarted);
                matched++;
            }
            else
            {
                // One critique per parent, shared by its children: each child starts refining the moment its own
                // parent's critique is done, whatever the other parents' critiques are doing.
                critique = StartCritique(run, parent, dimension, cancellationToken);
            }

            var children = BeamRanking.ChildrenOf(rank, _parents.Count, _options.BeamWidth);
            for (var child = first; child < children; child++)
            {
                StartChild(run, parent, child, dimension, critique, cancellationToken);
            }
        }

        if (matched != (promoted?.Count ?? 0))
        {
            // Promotion started children of a candidate that did not survive: the outcome would differ from a strict
            // run, so fail loudly rather than return it.
            throw new InvalidOperationException("A candidate promoted as a certain survivor was not among the survivors.");
        }

        return run;
    }

    /// <summary>Creates an iteration and its span. Iterations overlap under promotion, so the span is a child of the
    /// search's, named explicitly, and the driver's ambient span is left as it was.</summary>
    private IterationRun NewIteration(int number)
    {
        var ambient = Activity.Current;
        var span = BeamTelemetry.StartIteration(number, _searchSpan);
        Activity.Current = ambient;
        return new IterationRun(number) { Span = span };
    }

    private Task<LlmResponse> StartCritique(IterationRun run, BeamCandidate parent, PromptDimension dimension, CancellationToken cancellationToken)
    {
        // The critique serves all of a parent's children, so its call's span sits under the iteration, not a candidate.
        var ambient = Activity.Current;
        Activity.Current = run.Span ?? ambient;
        var critique = CritiqueAsync(run, parent, dimension, cancellationToken);
        Activity.Current = ambient;
        _work.Add(critique);
        return critique;
    }

    private void StartChild(
        IterationRun run, BeamCandidate parent, int child, PromptDimension dimension, Task<LlmResponse> critique, CancellationToken cancellationToken) =>
        _work.Add(RunChildLaneAsync(run, parent, child, dimension, critique, cancellationToken));

    private BeamStopReason? BudgetStop()
    {
        if (_options.MaxImages is { } maxImages && _imagesThrough + _options.BeamWidth > maxImages)
        {
            return BeamStopReason.ImageBudgetExhausted;
        }

        if (_options.MaxCost is { } maxCost && _usageThrough.Cost + _lastIterationCost > maxCost)
        {
            return BeamStopReason.CostBudgetExhausted;
        }

        return null;
    }

    private bool HasConverged()
    {
        if (_options.ConvergenceEpsilon is not { } epsilon)
        {
            return false;
        }

        var patience = _options.ConvergencePatience;
        if (_bestTotals.Count <= patience)
        {
            return false;
        }

        return _bestTotals[^1] - _bestTotals[^(patience + 1)] < epsilon;
    }

    private BeamSearchException NothingScored(int iteration)
    {
        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"No candidate was ever scored: all {_options.BeamWidth} candidates of iteration {iteration} failed.");
        var first = _firstFailure;
        if (first is { } f)
        {
            message += string.Create(
                CultureInfo.InvariantCulture,
                $" The first failure was candidate {f.CandidateId} at stage {f.Stage}: {f.Error.Message}");
            return new BeamSearchException(message, f.Error);
        }

        return new BeamSearchException(message);
    }

    private async Task RunRootLaneAsync(IterationRun run, int index, CancellationToken cancellationToken)
    {
        var id = BeamRequests.CandidateId(0, index);
        using var candidateSpan = BeamTelemetry.StartCandidate(id, null, 0, run.Span?.Context ?? default);
        BeamCandidate? outcome;
        try
        {
            var started = _time.GetTimestamp();
            var what = ExpandAsync(run, PromptDimension.What, index, id, cancellationToken);
            var how = ExpandAsync(run, PromptDimension.How, index, id, cancellationToken);
            var whatText = await AwaitBothAsync(what, how).ConfigureAwait(false);
            var howText = await how.ConfigureAwait(false);
            var lane = new Lane(0, index, id, null, whatText.Text, howText.Text, null, null, whatText.Usage + howText.Usage, _time.GetElapsedTime(started));
            outcome = await FinishLaneAsync(run, lane, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = Fail(0, id, null, BeamStage.Expand, ex);
        }

        Report(run, outcome);
    }

    private async Task RunChildLaneAsync(
        IterationRun run,
        BeamCandidate parent,
        int childOfParent,
        PromptDimension dimension,
        Task<LlmResponse> critique,
        CancellationToken cancellationToken)
    {
        var iteration = run.Number;
        var id = BeamRequests.ChildId(iteration, parent.Id, childOfParent);
        using var candidateSpan = BeamTelemetry.StartCandidate(id, parent.Id, iteration, run.Span?.Context ?? default);
        var stage = BeamStage.Critique;
        BeamCandidate? outcome;
        try
        {
            var started = _time.GetTimestamp();
            var critiqueText = (await critique.ConfigureAwait(false)).Text;

            stage = BeamStage.Refine;
            var request = BeamRequests.Refine(_prompt, _options, iteration, dimension, parent, critiqueText, childOfParent);
            var refined = await CallAsync(
                run, BeamStage.Refine, id, _engine.LlmLimiter, (_engine.Llm, request),
                static (s, ct) => s.Llm.RefineAsync(s.request, ct), cancellationToken).ConfigureAwait(false);
            var text = RequireText(refined, "refinement", dimension, id);
            var what = dimension == PromptDimension.What ? text.Text : parent.What;
            var how = dimension == PromptDimension.How ? text.Text : parent.How;
            var lane = new Lane(iteration, childOfParent, id, parent.Id, what, how, dimension, critiqueText, text.Usage, _time.GetElapsedTime(started));
            outcome = await FinishLaneAsync(run, lane, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = Fail(iteration, id, parent.Id, stage, ex);
        }

        Report(run, outcome);
    }

    private void Report(IterationRun run, BeamCandidate? outcome) => _outcomes.Writer.TryWrite(new LaneOutcome(run, outcome));

    /// <summary>Combine, render and score: the part of a lane that is the same in every iteration.</summary>
    private async Task<BeamCandidate?> FinishLaneAsync(IterationRun run, Lane lane, CancellationToken cancellationToken)
    {
        var stage = BeamStage.Combine;
        try
        {
            var usage = lane.Usage;
            var combineStarted = _time.GetTimestamp();
            var combineRequest = BeamRequests.Combine(_prompt, lane.What, lane.How);
            var combined = RequireText(
                await CallAsync(
                    run, BeamStage.Combine, lane.Id, _engine.LlmLimiter, (_engine.Llm, combineRequest),
                    static (s, ct) => s.Llm.CombineAsync(s.combineRequest, ct), cancellationToken).ConfigureAwait(false),
                "combined prompt", null, lane.Id);
            usage += combined.Usage;
            var combineTime = _time.GetElapsedTime(combineStarted);

            stage = BeamStage.Image;
            var imageStarted = _time.GetTimestamp();
            var image = await CallAsync(
                run, BeamStage.Image, lane.Id, _engine.ImageLimiter, (_engine.ImageGenerator, combined.Text),
                static (s, ct) => s.ImageGenerator.GenerateAsync(s.Text, ct), cancellationToken).ConfigureAwait(false);
            RequireImage(image, lane.Id);
            AddUsage(run, image.Usage);
            Interlocked.Increment(ref run.Images);
            usage += image.Usage;
            var imageTime = _time.GetElapsedTime(imageStarted);
            Publish(new ImageGeneratedEvent(lane.Iteration, Elapsed, lane.Id, lane.ParentId, lane.What, lane.How, combined.Text, image));

            // Both scores of one image run at once.
            stage = BeamStage.Alignment;
            var alignmentTarget = BeamRequests.AlignmentTarget(_prompt, _options, combined.Text);
            var alignment = TimedScoreAsync(
                run, BeamStage.Alignment, lane.Id, (_engine.Scorer, image, alignmentTarget),
                static (s, ct) => s.Scorer.ScoreAlignmentAsync(s.image, s.alignmentTarget, ct), cancellationToken);
            var aesthetic = TimedScoreAsync(
                run, BeamStage.Aesthetic, lane.Id, (_engine.Scorer, image),
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
                Total = BeamRanking.Total(_options.Alpha, alignmentScore.Score, aestheticScore.Score),
                RefinedDimension = lane.RefinedDimension,
                Critique = lane.Critique,
                Timings = new CandidateTimings(lane.PromptTime, combineTime, imageTime, alignmentTime, aestheticTime),
                Usage = usage,
            };

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

    private async Task<LlmResponse> ExpandAsync(IterationRun run, PromptDimension dimension, int index, string id, CancellationToken cancellationToken)
    {
        var request = BeamRequests.Expand(_prompt, _options, dimension, index);
        var response = await CallAsync(
            run, BeamStage.Expand, id, _engine.LlmLimiter, (_engine.Llm, request),
            static (s, ct) => s.Llm.ExpandAsync(s.request, ct), cancellationToken).ConfigureAwait(false);
        return RequireText(response, "expansion", dimension, id);
    }

    /// <summary>The critique of a parent for the next iteration <paramref name="run"/>, whose spending it counts in.</summary>
    private async Task<LlmResponse> CritiqueAsync(IterationRun run, BeamCandidate parent, PromptDimension dimension, CancellationToken cancellationToken)
    {
        var request = BeamRequests.Critique(_prompt, run.Number, dimension, parent);
        var response = await CallAsync(
            run, BeamStage.Critique, parent.Id, _engine.LlmLimiter, (_engine.Llm, request),
            static (s, ct) => s.Llm.CritiqueAsync(s.request, ct), cancellationToken).ConfigureAwait(false);
        return RequireText(response, "critique", dimension, parent.Id);
    }

    private async Task<(VisionScore Score, TimeSpan Duration)> TimedScoreAsync<TState>(
        IterationRun run,
        BeamStage stage,
        string id,
        TState state,
        Func<TState, CancellationToken, Task<VisionScore>> score,
        CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var result = await CallAsync(run, stage, id, _engine.ScoringLimiter, state, score, cancellationToken).ConfigureAwait(false);
        RequireScore(result, stage, id);
        return (result, _time.GetElapsedTime(started));
    }

    /// <summary>Calls a provider under its concurrency limit, with the stage timeout and retries, and counts its usage.</summary>
    /// <remarks>A <see cref="ValueTask{T}"/>, awaited exactly once by every caller: with providers that complete
    /// synchronously this path allocates nothing, which keeps a lane's cost flat as the beam widens.</remarks>
    private async ValueTask<T> CallAsync<TState, T>(
        IterationRun run,
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
                AddUsage(run, result switch
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

        _telemetry.CandidateFailed(stage, exception);
        BeamSearchLog.CandidateFailed(_engine.Logger, id, stage, exception);
        Publish(new CandidateFailedEvent(iteration, Elapsed, id, parentId, stage, exception));
        return null;
    }

    /// <summary>Counts spending in the search's total and in the iteration it belongs to: a critique belongs to the
    /// iteration of the children it is for, so the cost budget sees the same per-iteration costs with or without
    /// promotion.</summary>
    private void AddUsage(IterationRun run, ProviderUsage usage)
    {
        lock (_lock)
        {
            _usage += usage;
            run.Usage += usage;
        }
    }

    private ProviderUsage IterationUsage(IterationRun run)
    {
        lock (_lock)
        {
            return run.Usage;
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
        int VariantIndex,
        string Id,
        string? ParentId,
        string What,
        string How,
        PromptDimension? RefinedDimension,
        string? Critique,
        ProviderUsage Usage,
        TimeSpan PromptTime);

    private readonly record struct LaneOutcome(IterationRun Iteration, BeamCandidate? Candidate);

    private readonly record struct PromotedParent(Task<LlmResponse> Critique, int ChildrenStarted);

    /// <summary>One iteration's lanes and what the driver knows of them.</summary>
    private sealed class IterationRun(int number)
    {
        public int Number { get; } = number;

        /// <summary>The scored candidates, in the order the driver took them.</summary>
        public List<BeamCandidate> Scored { get; } = [];

        /// <summary>Lanes whose outcome the driver has taken.</summary>
        public int Finished { get; set; }

        public int Failed { get; set; }

        /// <summary>Images generated by the iteration's lanes; written by lanes.</summary>
        public int Images;

        /// <summary>What the iteration's calls consumed, its parents' critiques included; guarded by the run's lock.</summary>
        public ProviderUsage Usage { get; set; }

        /// <summary>Outcomes that arrived while an earlier iteration was still being ranked.</summary>
        public Queue<BeamCandidate?>? Early { get; set; }

        /// <summary>The best M of the ranking pool so far, kept in order once promotion needs it.</summary>
        public List<BeamCandidate>? Leaders { get; set; }

        /// <summary>The iteration's span, or <see langword="null"/> when nobody listens.</summary>
        public Activity? Span { get; init; }

        /// <summary>The candidates of this iteration's pool promoted as certain survivors.</summary>
        public Dictionary<BeamCandidate, PromotedParent>? Promoted { get; set; }
    }
}
