namespace StreamingBeam.Tests.Faults;

/// <summary>Transient faults at every beam stage: retried with exponential backoff on the engine's clock.</summary>
[Collection(FaultSuite.Name)]
public class BeamRetryFaultTests
{
    private static readonly BeamRetryOptions Backoff = new()
    {
        MaxRetries = 4,
        BaseDelay = TimeSpan.FromSeconds(1),
        BackoffMultiplier = 2,
        MaxDelay = TimeSpan.FromSeconds(3),
    };

    public static IEnumerable<object[]> Stages() => BeamFaultScenario.WithVariants(BeamTarget.AllStages.Select(s => new object[] { s }));

    public static IEnumerable<object[]> Seeds() => BeamFaultScenario.WithVariants(Enumerable.Range(0, 20).Select(s => new object[] { s }));

    [Theory]
    [MemberData(nameof(Stages))]
    public Task SearchStreamingAsync_TransientFaultAtStage_RetriesAfterEachBackoffAndScoresEveryCandidate(string variant, BeamStage stage) =>
        NoUnobservedExceptions.RunAsync(async () =>
        {
            var target = BeamTarget.For(stage);
            var providers = new FaultyBeamProviders(call => target.Matches(call) ? Fault.Transient(4) : Fault.None);
            var clock = new BackoffClock();
            var options = BeamFaultScenario.Options(variant, o => o.Retry = Backoff);

            var run = await clock.DriveAsync(
                BeamFaultScenario.RunAsync(BeamFaultScenario.Engine(variant, providers, clock), options),
                beforeAdvance: timer => Assert.Equal(timer + 1, providers.Tracker.Started.Count(target.Matches))); // no retry before its delay

            BeamInvariants.Check(run, providers);
            Assert.Empty(run.Failures);
            Assert.Equal(8, run.Completed!.Result.CandidatesScored);
            Assert.Equal(5, providers.Tracker.Started.Count(target.Matches));

            // 1 s, then doubled, capped at 3 s.
            Assert.Equal([1, 2, 3, 3], clock.DueTimes.Select(d => d.TotalSeconds));
        });

    [Theory]
    [MemberData(nameof(Stages))]
    public Task SearchStreamingAsync_TransientFaultOutlastsRetries_FailsThoseCandidatesWithTheLastError(string variant, BeamStage stage) =>
        NoUnobservedExceptions.RunAsync(async () =>
        {
            var target = BeamTarget.For(stage);
            var providers = new FaultyBeamProviders(call => target.Matches(call) ? Fault.Transient(5) : Fault.None);
            var clock = new BackoffClock();
            var options = BeamFaultScenario.Options(variant, o => o.Retry = Backoff);

            var run = await clock.DriveAsync(BeamFaultScenario.RunAsync(BeamFaultScenario.Engine(variant, providers, clock), options));

            BeamInvariants.Check(run, providers);
            Assert.Equal(target.FailedCandidates, run.Failures.Select(f => f.CandidateId));
            Assert.All(run.Failures, f =>
            {
                Assert.Equal(stage, f.Stage);
                var error = Assert.IsType<InjectedFaultException>(f.Exception);
                Assert.True(error.IsTransient);
                Assert.Equal(5, error.Call.Attempt);
            });
            Assert.Equal([1, 2, 3, 3], clock.DueTimes.Select(d => d.TotalSeconds));
        });

    [Theory]
    [MemberData(nameof(Seeds))]
    public Task SearchStreamingAsync_SeededTransientFaults_WaitsExactlyTheBackoffOfEveryRetry(string variant, int seed) =>
        NoUnobservedExceptions.RunAsync(async () =>
        {
            const int maxRetries = 2;
            Fault Plan(ProviderCall call) =>
                Draw.Unit(seed, "transient", call.Operation, call.Subject) < 0.25
                    ? Fault.Transient(1 + Draw.Int(seed, 3, "failures", call.Operation, call.Subject))
                    : Fault.None;
            var providers = new FaultyBeamProviders(Plan, seed);
            var clock = new BackoffClock();
            var retry = new BeamRetryOptions { MaxRetries = maxRetries, BaseDelay = TimeSpan.FromMilliseconds(250), BackoffMultiplier = 3 };
            var options = BeamFaultScenario.Options(variant, o =>
            {
                o.Retry = retry;
                o.MaxIterations = 3;
                o.MaxFailureRatio = 1;
            });

            var run = await clock.DriveAsync(BeamFaultScenario.RunAsync(BeamFaultScenario.Engine(variant, providers, clock), options));

            BeamInvariants.Check(run, providers);

            // Every call that failed k times before succeeding (or before the engine gave up) waited the first k delays.
            var expectedDelays = new List<double>();
            foreach (var calls in providers.Tracker.Started.GroupBy(c => (c.Operation, c.Subject)))
            {
                var fault = Plan(calls.First());
                var attempts = calls.Count();
                Assert.Equal(Math.Min(fault.Failures, maxRetries) + 1, attempts);
                expectedDelays.AddRange(Enumerable.Range(0, attempts - 1).Select(k => 250 * Math.Pow(3, k)));
            }

            Assert.Equal(expectedDelays.Order(), clock.DueTimes.Select(d => d.TotalMilliseconds).Order());

            // Only faults that outlast the retries cost candidates, and each with its last attempt's error.
            Assert.All(run.Failures, f =>
            {
                var error = Assert.IsType<InjectedFaultException>(f.Exception);
                Assert.Equal(maxRetries + 1, error.Call.Attempt);
                Assert.True(Plan(error.Call).Failures > maxRetries);
            });
        });
}
