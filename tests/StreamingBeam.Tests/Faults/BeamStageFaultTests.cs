using Microsoft.Extensions.Time.Testing;

namespace StreamingBeam.Tests.Faults;

/// <summary>A provider that throws, returns unusable output or hangs, at each stage of a beam search.</summary>
[Collection(FaultSuite.Name)]
public class BeamStageFaultTests
{
    public static IEnumerable<object[]> StagesAndFailures() => BeamFaultScenario.WithVariants(
        from stage in BeamTarget.AllStages
        from kind in new[] { FaultKind.Throw, FaultKind.Invalid }
        from seed in new[] { 0, 1 }
        select new object[] { stage, kind, seed });

    public static IEnumerable<object[]> Stages() => BeamFaultScenario.WithVariants(BeamTarget.AllStages.Select(s => new object[] { s }));

    public static IEnumerable<object[]> StagesAndEndings() => BeamFaultScenario.WithVariants(
        from stage in BeamTarget.AllStages from disposal in new[] { false, true } select new object[] { stage, disposal });

    [Theory]
    [MemberData(nameof(StagesAndFailures))]
    public Task SearchStreamingAsync_ProviderThrowsOrReturnsInvalidOutput_FailsOnlyThoseCandidatesAndCompletes(
        string variant, BeamStage stage, FaultKind kind, int seed) => NoUnobservedExceptions.RunAsync(async () =>
    {
        var target = BeamTarget.For(stage);
        var providers = new FaultyBeamProviders(call => target.Matches(call) ? new Fault(kind) : Fault.None, seed);

        // Retries are on, but neither a permanent fault (a 400) nor unusable output can succeed on a second try: neither is retried.
        var options = BeamFaultScenario.Options(variant, o => o.Retry = new BeamRetryOptions { MaxRetries = 2, BaseDelay = TimeSpan.Zero });
        var run = await BeamFaultScenario.RunAsync(BeamFaultScenario.Engine(variant, providers), options);

        BeamInvariants.Check(run, providers);
        Assert.Equal(target.FailedCandidates, run.Failures.Select(f => f.CandidateId));
        Assert.All(run.Failures, failure =>
        {
            Assert.Equal(stage, failure.Stage);
            if (kind == FaultKind.Throw)
            {
                var injected = Assert.IsType<InjectedFaultException>(failure.Exception);
                Assert.Equal(target.Subject, injected.Call.Subject);
                Assert.Equal(1, injected.Call.Attempt);
                Assert.False(injected.IsTransient);
            }
            else
            {
                var invalid = Assert.IsType<ProviderOutputException>(failure.Exception);
                Assert.Contains(stage == BeamStage.Critique ? "candidate c0-0" : $"candidate {failure.CandidateId}", invalid.Message, StringComparison.Ordinal);
            }
        });
        Assert.Equal(1, providers.Tracker.StartedFor(run.Scope).Count(target.Matches));
        var result = Assert.IsType<SearchCompletedEvent>(run.Completed).Result;
        Assert.Equal(BeamStopReason.MaxIterationsReached, result.StopReason);
        Assert.Equal(8 - target.FailedCandidates.Length, result.CandidatesScored);
    });

    [Theory]
    [MemberData(nameof(Stages))]
    public Task SearchStreamingAsync_ProviderHangsWithStageTimeout_FailsThoseCandidatesWithTimeoutException(string variant, BeamStage stage) =>
        NoUnobservedExceptions.RunAsync(async () =>
        {
            var target = BeamTarget.For(stage);
            var providers = new FaultyBeamProviders(call => target.Matches(call) ? Fault.Hang : Fault.None);
            var hanging = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            providers.Tracker.Blocking = _ => hanging.TrySetResult();
            var time = new FakeTimeProvider();
            var options = BeamFaultScenario.Options(variant, o => o.StageTimeout = TimeSpan.FromSeconds(10));

            var search = BeamFaultScenario.RunAsync(BeamFaultScenario.Engine(variant, providers, time), options);
            await hanging.Task.WaitAsync(BeamFaultScenario.Guard);
            time.Advance(TimeSpan.FromSeconds(9));
            Assert.False(search.IsCompleted);
            time.Advance(TimeSpan.FromSeconds(1));
            var run = await search;

            BeamInvariants.Check(run, providers);
            Assert.Equal(target.FailedCandidates, run.Failures.Select(f => f.CandidateId));
            Assert.All(run.Failures, f =>
            {
                Assert.Equal(stage, f.Stage);
                var timeout = Assert.IsType<TimeoutException>(f.Exception);
                Assert.Equal($"The {stage} call did not finish within the stage timeout of 00:00:10.", timeout.Message);
            });
            Assert.Equal(BeamStopReason.MaxIterationsReached, Assert.IsType<SearchCompletedEvent>(run.Completed).Result.StopReason);
            Assert.DoesNotContain(providers.Tracker.SucceededFor(run.Scope), target.Matches);
        });

    [Theory]
    [MemberData(nameof(StagesAndEndings))]
    public Task SearchStreamingAsync_ProviderHangsWithoutTimeout_OnlyCancellationOrDisposalEndsTheSearch(string variant, BeamStage stage, bool disposal) =>
        NoUnobservedExceptions.RunAsync(async () =>
        {
            var target = BeamTarget.For(stage);
            var providers = new FaultyBeamProviders(call => target.Matches(call) ? Fault.Hang : Fault.None);
            var options = BeamFaultScenario.Options(variant);
            using var cts = new CancellationTokenSource();
            var events = new List<BeamEvent>();
            var others = target.Others(options.BeamWidth).ToHashSet(StringComparer.Ordinal);

            var enumerator = BeamFaultScenario.Engine(variant, providers).SearchStreamingAsync(BeamFaultScenario.Prompt, options, cts.Token).GetAsyncEnumerator();
            try
            {
                // Every other lane of the hanging call's iteration finishes; the hanging one never does.
                while (others.Count > 0)
                {
                    Assert.True(await enumerator.MoveNextAsync().AsTask().WaitAsync(BeamFaultScenario.Guard));
                    events.Add(enumerator.Current);
                    switch (enumerator.Current)
                    {
                        case CandidateScoredEvent scored:
                            others.Remove(scored.Candidate.Id);
                            break;
                        case CandidateFailedEvent failed:
                            Assert.Fail($"{failed.CandidateId} failed: {failed.Exception}");
                            break;
                    }
                }

                Assert.Equal(1, providers.Tracker.StartedFor(BeamFaultScenario.Prompt).Count(target.Matches));
                Assert.True(providers.Tracker.InFlightFor(BeamFaultScenario.Prompt) >= 1);
                Assert.DoesNotContain(events, e => e is IterationCompletedEvent c && c.Iteration == target.Iteration);

                if (!disposal)
                {
                    var next = enumerator.MoveNextAsync().AsTask();
                    await cts.CancelAsync();
                    await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
                    {
                        // Children of a certain survivor (promotion) may have reported before the cancellation.
                        while (await next.WaitAsync(BeamFaultScenario.Guard))
                        {
                            events.Add(enumerator.Current);
                            next = enumerator.MoveNextAsync().AsTask();
                        }
                    });
                }
            }
            finally
            {
                await enumerator.DisposeAsync().AsTask().WaitAsync(BeamFaultScenario.Guard);
            }

            // Disposal (or cancellation) returned: the hanging call was canceled, nothing is left running.
            Assert.Equal(0, providers.Tracker.InFlight);
            Assert.DoesNotContain(providers.Tracker.Succeeded, target.Matches);
            Assert.DoesNotContain(events, e => e is CandidateFailedEvent);
        });
}
