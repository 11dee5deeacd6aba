using StreamingBeam.Beam.Internal;
namespace StreamingBeam.Tests.Faults;

/// <summary>What must hold after any beam search, whatever faults, cancellation or early exit it met.</summary>
internal static class BeamInvariants
{
    /// <param name="run">The search.</param>
    /// <param name="providers">Its providers.</param>
    /// <param name="cancelRequested">Whether the caller's token was canceled before the stream ended.</param>
    public static void Check(BeamRun run, FaultyBeamProviders providers, bool cancelRequested = false)
    {
        // Nothing left running: every provider call of the search has returned, thrown or been canceled.
        Assert.Equal(0, providers.Tracker.InFlightFor(run.Scope));

        CheckEnding(run, cancelRequested);
        CheckEventOrder(run);

        // No lost results: a search that ran to its end delivered every candidate its providers scored.
        if (run.Error is null or BeamSearchException && !run.StoppedByConsumer)
        {
            var scoredByProviders = ScoredPairs(providers, run.Scope);
            var delivered = run.Scored.Select(c => FaultyBeamProviders.PairOf(c.CombinedPrompt)).Order(StringComparer.Ordinal);
            Assert.Equal(scoredByProviders, delivered);
        }
    }

    /// <summary>Gets the pairs whose image and both scores the providers returned successfully: the candidates the
    /// engine must have scored.</summary>
    public static IReadOnlyList<string> ScoredPairs(FaultyBeamProviders providers, string scope)
    {
        var succeeded = providers.Tracker.SucceededFor(scope);
        var alignment = succeeded.Where(c => c.Operation == nameof(BeamStage.Alignment)).Select(c => c.Subject).ToHashSet(StringComparer.Ordinal);
        return succeeded.Where(c => c.Operation == nameof(BeamStage.Aesthetic) && alignment.Contains(c.Subject))
            .Select(c => c.Subject).Distinct().Order(StringComparer.Ordinal).ToArray();
    }

    private static void CheckEnding(BeamRun run, bool cancelRequested)
    {
        switch (run.Error)
        {
            case null when run.StoppedByConsumer:
                break;
            case null:
                // A normal end is a complete one: the result comes last.
                Assert.NotNull(run.Completed);
                Assert.False(cancelRequested, "The search was canceled but its stream ended normally.");
                break;
            case OperationCanceledException:
                Assert.True(cancelRequested, "The stream ended with OperationCanceledException although nobody canceled: " + run.Error);
                break;
            case BeamSearchException:
                // Nothing was ever scored: every failure was delivered first, then the iteration's (empty) ranking.
                Assert.False(cancelRequested, "The search was canceled but its stream ended with BeamSearchException.");
                Assert.Empty(run.Scored);
                var last = Assert.IsType<IterationCompletedEvent>(run.Events[^1]);
                Assert.Equal(0, last.Scored);
                Assert.Equal(run.Options.BeamWidth, last.Failed);
                break;
            default:
                Assert.Fail("The stream ended with an unexpected exception: " + run.Error);
                break;
        }
    }

    private static void CheckEventOrder(BeamRun run)
    {
        var events = run.Events;
        var imaged = new HashSet<string>(StringComparer.Ordinal);
        var finished = new HashSet<string>(StringComparer.Ordinal);
        var ranked = new HashSet<int>();
        var scored = new Dictionary<int, int>();
        var failed = new Dictionary<int, int>();
        var allScored = new List<BeamCandidate>();
        for (var i = 0; i < events.Count; i++)
        {
            switch (events[i])
            {
                case SearchStartedEvent:
                    Assert.Equal(0, i);
                    break;
                case ImageGeneratedEvent image:
                    Assert.DoesNotContain(image.Iteration, ranked);
                    Assert.DoesNotContain(image.CandidateId, finished);
                    Assert.True(imaged.Add(image.CandidateId), $"Two images for {image.CandidateId}.");
                    break;
                case CandidateScoredEvent { Candidate: var candidate }:
                    Assert.DoesNotContain(candidate.Iteration, ranked);
                    Assert.Contains(candidate.Id, imaged);
                    Assert.True(finished.Add(candidate.Id), $"Two outcomes for {candidate.Id}.");
                    Assert.InRange(candidate.Alignment, 0, 1);
                    Assert.InRange(candidate.Aesthetic, 0, 1);
                    Assert.Equal((run.Options.Alpha * candidate.Alignment) + ((1 - run.Options.Alpha) * candidate.Aesthetic), candidate.Total, 12);
                    scored[candidate.Iteration] = scored.GetValueOrDefault(candidate.Iteration) + 1;
                    allScored.Add(candidate);
                    break;
                case CandidateFailedEvent failure:
                    Assert.DoesNotContain(failure.Iteration, ranked);
                    Assert.True(finished.Add(failure.CandidateId), $"Two outcomes for {failure.CandidateId}.");

                    // Cancellation is never reported as a candidate's failure.
                    Assert.False(failure.Exception is OperationCanceledException, $"{failure.CandidateId} failed with {failure.Exception}");
                    failed[failure.Iteration] = failed.GetValueOrDefault(failure.Iteration) + 1;
                    break;
                case IterationCompletedEvent completed:
                    Assert.True(ranked.Add(completed.Iteration), $"Iteration {completed.Iteration} ranked twice.");
                    Assert.Equal(scored.GetValueOrDefault(completed.Iteration), completed.Scored);
                    Assert.Equal(failed.GetValueOrDefault(completed.Iteration), completed.Failed);
                    Assert.Equal(run.Options.BeamWidth, completed.Scored + completed.Failed);
                    Assert.True(completed.Survivors.Count <= run.Options.KeepTop);
                    // Children already scored through promotion belong to the next iteration, not to this ranking.
                    Assert.Equal(Best(allScored.Where(c => c.Iteration <= completed.Iteration))?.Id, completed.BestSoFar?.Id);
                    break;
                case SearchCompletedEvent done:
                    Assert.Equal(events.Count - 1, i);
                    Assert.Equal(allScored.Count, done.Result.CandidatesScored);
                    Assert.Equal(failed.Values.Sum(), done.Result.CandidatesFailed);
                    Assert.Equal(ranked.Count, done.Result.Iterations);
                    Assert.Equal(Best(allScored)!.Id, done.Result.Best.Id);
                    break;
            }
        }
    }

    private static BeamCandidate? Best(IEnumerable<BeamCandidate> candidates) =>
        candidates.OrderByDescending(c => c.Total).ThenBy(c => c.Iteration).ThenBy(c => c.Id, Comparer<string>.Create(BeamRanking.CompareLineage)).FirstOrDefault();
}
