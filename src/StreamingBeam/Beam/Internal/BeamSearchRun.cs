using System.Globalization;
using System.Threading.Channels;
using StreamingBeam.Diagnostics;
using StreamingBeam.Logging;

namespace StreamingBeam.Beam.Internal;

/// <summary>One beam search: its lifecycle, the iteration loop and the ranking barrier.</summary>
/// <remarks>
/// <para>
/// The pieces: <see cref="BeamRunContext"/> (what every part reads), <see cref="SearchState"/> (the driver's state and its
/// checkpoint mapping), <see cref="BeamStopRules"/> (when to stop), <see cref="SurvivorPromotion"/> (what may start before
/// a ranking), <see cref="LaneLauncher"/> and <see cref="CandidateLanes"/> (the work), <see cref="ProviderCaller"/> (one
/// provider call), <see cref="RunLedger"/> (the only state lanes share). docs/architecture.md walks through them.
/// </para>
/// <para>
/// This class is the driver: the only code that reads or changes the search's state, so that state needs no lock. Lanes
/// hand their outcomes to it through <see cref="BeamRunContext.Outcomes"/>, and it ranks each iteration once all of its
/// lanes have reported.
/// </para>
/// </remarks>
internal sealed class BeamSearchRun
{
    private readonly BeamRunContext _context;
    private readonly SearchState _state;
    private readonly BeamCheckpoint? _resumedFrom;
    private readonly LaneLauncher _launcher;
    private readonly SurvivorPromotion _promotion;
    private IterationRun? _current;
    private Dictionary<BeamCandidate, PromotedParent>? _previousPromoted;

    public BeamSearchRun(BeamSearchEngine engine, string prompt, BeamSearchOptions options, ChannelWriter<BeamEvent> events)
        : this(
            new BeamRunContext(engine, prompt, options, events, TimeSpan.Zero, default, NewJournal(engine, prompt, options, events)),
            new SearchState(),
            resumedFrom: null)
    {
    }

    /// <summary>A search resumed from its journal: the state right after its last recorded ranking (or its start), with
    /// the calls recorded after it answered from the journal.</summary>
    public BeamSearchRun(BeamSearchEngine engine, ResumePoint resumePoint, BeamSearchOptions options, ChannelWriter<BeamEvent> events)
        : this(
            new BeamRunContext(
                engine,
                resumePoint.Checkpoint.Prompt,
                options,
                events,
                resumePoint.Checkpoint.Elapsed,
                resumePoint.Checkpoint.Usage,
                new SearchJournal(engine.CheckpointStore!, options.CheckpointId!, header: null, events, engine.Logger),
                resumePoint.Plan),
            SearchState.FromCheckpoint(resumePoint.Checkpoint),
            resumePoint.Checkpoint)
    {
    }

    private BeamSearchRun(BeamRunContext context, SearchState state, BeamCheckpoint? resumedFrom)
    {
        _context = context;
        _state = state;
        _resumedFrom = resumedFrom;

        // A resumed search's rendered candidates keep their prompts: none is rendered again.
        context.Prompts.AddRendered(state.Best is { } best ? [.. state.Parents, best] : state.Parents);

        _launcher = new LaneLauncher(context);
        _promotion = new SurvivorPromotion(context, state, _launcher);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var logger = _context.Logger;
        var options = _context.Options;

        // Lanes run on their own token so that the driver can stop them when it fails for any reason, not only when the
        // caller cancels.
        using var lanes = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var searchSpan = BeamTelemetry.StartSearch(options);
        _launcher.SearchSpan = searchSpan?.Context ?? default;
        try
        {
            BeamSearchLog.SearchStarted(logger, options.BeamWidth, options.KeepTop, options.MaxIterations);
            BeamSearchLog.SearchPrompt(logger, _context.Prompt);
            _context.Journal?.Start();
            if (_resumedFrom is { } resumed)
            {
                BeamSearchLog.Resuming(logger, options.CheckpointId!, resumed.Iteration, resumed.RecordedCalls, resumed.RecordedImages);
            }

            _context.Publish(_resumedFrom is { } checkpoint
                ? new SearchStartedEvent(checkpoint, _context.Elapsed)
                : new SearchStartedEvent(_context.Prompt, options.Clone(), TimeSpan.Zero));

            var result = await RunIterationsAsync(lanes.Token).ConfigureAwait(false);

            BeamSearchLog.SearchCompleted(logger, result.Iterations, result.StopReason, result.Best.Total, result.Best.Id);
            BeamTelemetry.SearchCompleted(searchSpan, result);
            _context.Publish(new SearchCompletedEvent(result, result.Iterations - 1));
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
            await _launcher.WhenAllStoppedAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await WaitForAbandonedCallsAsync().ConfigureAwait(false);
            _current?.Span?.Dispose();
            _promotion.Pending?.Span?.Dispose();

            try
            {
                // What was recorded is saved, and the events behind it published, before the stream ends.
                if (_context.Journal is { } journal)
                {
                    await journal.CompleteAsync(cancellationToken.IsCancellationRequested, _context.Engine.AbandonedCallGrace, _context.Time).ConfigureAwait(false);
                }
            }
            finally
            {
                _context.CompleteEvents();
            }
        }
    }

    /// <summary>Lanes never wait for a call past its deadline or the cancellation; the calls they left behind get a
    /// bounded grace to end before the stream does (<see cref="BeamEngineOptions.AbandonedCallGrace"/>).</summary>
    private async Task WaitForAbandonedCallsAsync()
    {
        var grace = _context.Engine.AbandonedCallGrace;
        if (!await _context.Abandoned.WaitAsync(grace, _context.Time).ConfigureAwait(false))
        {
            BeamSearchLog.CallsAbandoned(_context.Logger, _context.Abandoned.Running, grace);
        }
    }

    private async Task<BeamSearchResult> RunIterationsAsync(CancellationToken cancellationToken)
    {
        var options = _context.Options;
        BeamStopReason? stopReason = null;
        if (_resumedFrom is { Iteration: >= 0 } checkpoint)
        {
            stopReason = BeamStopRules.StopAt(options, _state.FactsAtRanking(checkpoint.Iteration, checkpoint.Failed));
            _state.RecordBestTotal(checkpoint.Iteration);
        }

        while (stopReason is null)
        {
            var iteration = _state.Completed;
            var current = _current = iteration == 0 ? StartFirstIteration(cancellationToken) : StartChildIteration(iteration, cancellationToken);
            await WaitForIterationAsync(current, cancellationToken).ConfigureAwait(false);

            // The barrier: every lane of the iteration has reported. The ranking is computed here in both modes.
            _state.CommitRanking(current, _context.Ledger.SpendOf(iteration), options);
            var scored = current.Scored.Count;
            if (_state.Best is not null && _context.Journal is { } journal)
            {
                // Queued behind every record of the iteration; IterationCompletedEvent is published after it is saved.
                journal.Append(_state.ToRankingRecord(iteration, scored, current.Failed, _context.Elapsed, _context.Time.GetUtcNow()));
            }

            BeamSearchLog.IterationCompleted(_context.Logger, iteration, scored, current.Failed, _state.Best?.Total ?? double.NaN);
            _context.Publish(new IterationCompletedEvent(iteration, _context.Elapsed, _state.Parents.ToArray(), _state.Best, scored, current.Failed)
            {
                DuplicatesAvoided = _context.Ledger.SpendOf(iteration).Duplicates,
            });
            current.Span?.Dispose();

            if (_state.Best is null)
            {
                throw NothingScored(iteration);
            }

            stopReason = BeamStopRules.StopAt(options, _state.FactsAtRanking(iteration, current.Failed));
            _state.RecordBestTotal(iteration);
            _previousPromoted = current.Promoted;
        }

        return new BeamSearchResult
        {
            Best = _state.Best!,
            StopReason = stopReason.Value,
            Iterations = _state.Completed,
            Elapsed = _context.Elapsed,
            Usage = _context.Ledger.Total,
            CandidatesScored = _state.ScoredThrough,
            CandidatesFailed = _state.FailedThrough,
            DuplicatesAvoided = _context.Ledger.Duplicates,
        };
    }

    private static SearchJournal? NewJournal(BeamSearchEngine engine, string prompt, BeamSearchOptions options, ChannelWriter<BeamEvent> events)
    {
        if (options.CheckpointId is not { } id || engine.CheckpointStore is not { } store)
        {
            return null;
        }

        var header = new HeaderRecord
        {
            CheckpointId = id,
            Prompt = prompt,
            Options = options.Clone(), // the store (or a reader of it) must never reach the options the run reads
            StartedAt = engine.TimeProvider.GetUtcNow(),
        };
        return new SearchJournal(store, id, header, events, engine.Logger);
    }

    /// <summary>Takes the outcomes of the iteration's lanes until all have reported, promoting certain survivors as
    /// they appear. Outcomes of the next iteration's early lanes are kept for when it becomes current.</summary>
    private async Task WaitForIterationAsync(IterationRun current, CancellationToken cancellationToken)
    {
        while (current.Early?.TryDequeue(out var early) == true)
        {
            Take(current, early);
        }

        _promotion.PromoteCertainSurvivors(current, cancellationToken);
        var reader = _context.Outcomes.Reader;
        while (current.Finished < _context.Options.BeamWidth)
        {
            await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
            while (reader.TryRead(out var outcome))
            {
                if (outcome.Iteration == current)
                {
                    Take(current, outcome);
                }
                else
                {
                    (outcome.Iteration.Early ??= new()).Enqueue(outcome);
                }
            }

            _promotion.PromoteCertainSurvivors(current, cancellationToken);
        }
    }

    private void Take(IterationRun current, LaneOutcome outcome)
    {
        current.Take(outcome);
        if (outcome.Candidate is { } candidate)
        {
            _state.Offer(candidate);
            SurvivorPromotion.OnScored(current, candidate, _context.Options.KeepTop);
        }
    }

    private IterationRun StartFirstIteration(CancellationToken cancellationToken)
    {
        var run = _launcher.NewIteration(0);
        _launcher.StartRoots(run, cancellationToken);
        return run;
    }

    /// <summary>Starts what the ranking of the previous iteration leaves to start: the critique and children of each
    /// survivor, or for a promoted one, the children that depended on its final rank.</summary>
    private IterationRun StartChildIteration(int iteration, CancellationToken cancellationToken)
    {
        var run = _promotion.TakeNext(iteration);
        var promoted = _previousPromoted;
        var parents = _state.Parents;
        var dimension = _context.Options.DimensionFor(iteration);
        var matched = 0;
        for (var rank = 0; rank < parents.Count; rank++)
        {
            var parent = parents[rank];
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
                critique = _launcher.StartCritique(run, parent, dimension, cancellationToken);
            }

            var children = BeamRanking.ChildrenOf(rank, parents.Count, _context.Options.BeamWidth);
            for (var child = first; child < children; child++)
            {
                _launcher.StartChild(run, parent, child, dimension, critique, cancellationToken);
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

    private BeamSearchException NothingScored(int iteration)
    {
        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"No candidate was ever scored: all {_context.Options.BeamWidth} candidates of iteration {iteration} failed.");
        if (_context.Ledger.FirstFailure is { } first)
        {
            message += string.Create(
                CultureInfo.InvariantCulture,
                $" The first failure was candidate {first.CandidateId} at stage {first.Stage}: {first.Error.Message}");
            return new BeamSearchException(message, first.Error) { Usage = _context.Ledger.Total };
        }

        return new BeamSearchException(message) { Usage = _context.Ledger.Total };
    }
}
