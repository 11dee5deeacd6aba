using System.Globalization;

namespace StreamingBeam.Tests.Faults;

/// <summary>The seeded chaos test of issue #15: random faults of every kind at random stages, random cancellation
/// points and random consumer exits, several runs at once on one engine, many seeds; after each, the guarantees of
/// docs/reliability.md must hold.</summary>
/// <remarks>
/// <para>
/// Each seed draws an engine (concurrency limits, engine variant), options, and for each run its faults (throw,
/// invalid output, transient, slow, hang until canceled, per call) and its ending (to the end, canceled by an
/// already-canceled token, canceled when its k-th call starts or finishes, left by its consumer after the j-th
/// item). A run that meets a hang is canceled once the hang blocks, since nothing else ends a hang.
/// </para>
/// <para>
/// Invariants: no provider call in flight afterwards and none started after a run ended; no unobserved task
/// exception; every produced result delivered (<see cref="BeamInvariants"/>, <see cref="ExtractionFaultScenario.Check"/>);
/// a bounded end (each run is guarded by <see cref="BeamFaultScenario.Guard"/>, which fails the test, never asserts a
/// speed). A failing seed is named by the theory row, so it can be replayed alone.
/// </para>
/// </remarks>
[Collection(FaultSuite.Name)]
public class ChaosFaultTests
{
    /// <summary>Whether the fake providers ignore their cancellation token (hangs end only when the test releases them,
    /// after the stream ended; slow calls answer after cancellation). The engine must still end every stream (it
    /// abandons such calls after <see cref="BeamEngineOptions.AbandonedCallGrace"/>, zero here) and start no call after
    /// cancellation (issue #15 items 3-4).</summary>
    internal const bool ProvidersIgnoreTheirToken = true;

    private const int RunsPerSeed = 4;

    public static IEnumerable<object[]> BeamSeeds() => Enumerable.Range(0, 48).Select(s => new object[] { s });

    public static IEnumerable<object[]> ExtractionSeeds() => Enumerable.Range(0, 48).Select(s => new object[] { s });

    private enum Ending
    {
        RunsToItsEnd,
        AlreadyCanceled,
        CanceledWhenItsKthCallStarts,
        CanceledWhenItsKthCallFinishes,
        ConsumerLeavesAfterJ,
    }

    [Theory]
    [MemberData(nameof(BeamSeeds))]
    public Task Beam_RandomFaultsCancellationsAndExits_KeepEveryGuarantee(int seed) => NoUnobservedExceptions.RunAsync(async () =>
    {
        var variant = BeamFaultScenario.VariantNames.ElementAt(Draw.Int(seed, BeamFaultScenario.VariantNames.Count(), "variant"));
        var options = BeamFaultScenario.Options(variant, o =>
        {
            o.BeamWidth = 2 + Draw.Int(seed, 4, "width");
            o.KeepTop = 1 + Draw.Int(seed, Math.Min(3, o.BeamWidth), "keep");
            o.MaxIterations = 1 + Draw.Int(seed, 3, "iterations");
            o.Retry = new BeamRetryOptions { MaxRetries = Draw.Int(seed, 2, "retries"), BaseDelay = TimeSpan.Zero };
        });
        var plans = Enumerable.Range(0, RunsPerSeed).Select(i => new RunPlan(seed, i, "beam")).ToDictionary(p => p.Scope, StringComparer.Ordinal);
        var providers = new FaultyBeamProviders(call => plans[call.Scope].BeamFault(call), seed, yieldRate: 0.3) { IgnoreTokens = ProvidersIgnoreTheirToken };
        providers.Tracker.CallStarted = (call, _, kInScope) => plans[call.Scope].OnCallStarted(kInScope);
        providers.Tracker.CallFinished = (call, _) => plans[call.Scope].OnCallFinished();
        providers.Tracker.Blocking = call => plans[call.Scope].OnHang();
        var checkpoints = new InMemoryBeamCheckpointStore();
        var engine = BeamFaultScenario.Engine(
            variant,
            providers,
            configure: o =>
            {
                o.MaxConcurrentLlmCalls = Limit(seed, "llm");
                o.MaxConcurrentImageGenerations = Limit(seed, "image");
                o.MaxConcurrentScoringCalls = Limit(seed, "scoring");
                o.AbandonedCallGrace = TimeSpan.Zero; // the fake clock never runs out a grace; abandoned calls are settled below
            },
            checkpointStore: checkpoints);

        var runs = await Task.WhenAll(plans.Values.Select(plan => Task.Run(async () =>
        {
            // Half of the runs save checkpoints, so that saves meet the same faults, cancellations and exits.
            var runOptions = options.Clone();
            runOptions.CheckpointId = plan.CheckpointId;
            var run = await BeamFaultScenario.RunAsync(engine, runOptions, plan.Scope, plan.StopAfter, plan.Token);
            plan.StartedAtEnd = providers.Tracker.StartedFor(plan.Scope).Count;
            return run;
        })));

        await SettleAbandonedCallsAsync(providers);
        Assert.Equal(0, providers.Tracker.InFlight);
        foreach (var run in runs)
        {
            var plan = plans[run.Scope];
            var context = $"seed {seed}, {run.Scope}: {plan}";
            Assert.True(plan.StartedAtEnd == providers.Tracker.StartedFor(plan.Scope).Count, "A provider call started after the stream ended; " + context);
            try
            {
                BeamInvariants.Check(run, providers, cancelRequested: plan.Canceled);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw new Xunit.Sdk.XunitException(context + Environment.NewLine + ex.Message);
            }

            if (plan.Ending == Ending.AlreadyCanceled)
            {
                Assert.IsAssignableFrom<OperationCanceledException>(run.Error);
            }

            await CheckCheckpointAsync(checkpoints, plan, run, context);
            plan.Dispose();
        }
    });

    [Theory]
    [MemberData(nameof(ExtractionSeeds))]
    public Task Extraction_RandomFaultsCancellationsAndExits_KeepEveryGuarantee(int seed) => NoUnobservedExceptions.RunAsync(async () =>
    {
        // Random extractors, dependencies, required flags, timeouts, an artifact, and faults per run (throw, invalid
        // output, a null task, hang until the timeout or cancellation), with slow (yielding) healthy calls.
        var scenario = ExtractionFaultScenario.Random(seed);
        var plans = Enumerable.Range(0, RunsPerSeed).Select(i => new RunPlan(seed, i, "extraction")).ToDictionary(p => p.Scope, StringComparer.Ordinal);
        scenario.Tracker.CallStarted = (call, _, kInScope) => plans[call.Scope].OnCallStarted(kInScope);
        scenario.Tracker.CallFinished = (call, _) => plans[call.Scope].OnCallFinished();
        var engine = scenario.Engine(yieldRate: 0.5);
        var runOptions = new ExtractionRunOptions { MaxConcurrency = Draw.Int(seed, 4, "concurrency") switch { 0 => null, var n => n } };

        var records = await Task.WhenAll(plans.Values.Select(plan => Task.Run(async () =>
        {
            var record = await ExtractionFaultScenario.RunAsync(engine, plan.Scope, runOptions, stopAfter: plan.StopAfter, cancellationToken: plan.Token);
            plan.StartedAtEnd = scenario.Tracker.StartedFor(plan.Scope).Count;
            return record;
        })));

        Assert.Equal(0, scenario.Tracker.InFlight);
        foreach (var record in records)
        {
            var plan = plans[record.Scope];
            var context = $"seed {seed}, {record.Scope}: {plan}";
            Assert.True(plan.StartedAtEnd == scenario.Tracker.StartedFor(plan.Scope).Count, "A call started after the stream ended; " + context);
            try
            {
                scenario.Check(record, cancelRequested: plan.Canceled);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw new Xunit.Sdk.XunitException(context + Environment.NewLine + ex.Message);
            }

            if (plan.Ending == Ending.AlreadyCanceled)
            {
                Assert.IsAssignableFrom<OperationCanceledException>(record.Error);
            }

            plan.Dispose();
        }
    });

    /// <summary>A checkpoint the engine saved is one the loading check accepts, and it is there for every ranking with a
    /// best candidate that was delivered (a checkpoint is saved before its ranking is published).</summary>
    private static async Task CheckCheckpointAsync(InMemoryBeamCheckpointStore store, RunPlan plan, BeamRun run, string context)
    {
        if (plan.CheckpointId is not { } id)
        {
            return;
        }

        // Reading it runs the loading check (record by record, then the checkpoint field by field): it throws if the
        // engine saved something a resume would refuse.
        var saved = await store.LoadCheckpointAsync(id);
        // Nothing is saved while nothing was scored: there would be no best candidate to resume from.
        var lastRanked = run.Events.OfType<IterationCompletedEvent>().Where(e => e.BestSoFar is not null).Select(e => (int?)e.Iteration).LastOrDefault();
        if (lastRanked is { } iteration)
        {
            Assert.True(saved is not null, "No checkpoint although a ranking was delivered; " + context);
            Assert.True(saved.Iteration >= iteration, $"The checkpoint is of iteration {saved.Iteration}, before the delivered ranking {iteration}; {context}");
        }

        if (saved is not null)
        {
            var errors = BeamCheckpointValidator.GetErrors(saved);
            Assert.True(errors.Count == 0, "The engine saved a checkpoint the loading check rejects: " + string.Join(" ", errors) + "; " + context);
            Assert.True(saved.RecordedCalls >= saved.RecordedImages, context);
        }
    }

    private static int? Limit(int seed, string kind) => Draw.Int(seed, 3, "limit", kind) switch { 0 => null, var n => n };

    /// <summary>With providers that ignore their token, the engine may end a stream while calls it abandoned still
    /// run: release them, and wait (bounded by the guard) until they have all returned, so that their exceptions are
    /// observed before <see cref="NoUnobservedExceptions"/> looks.</summary>
    private static async Task SettleAbandonedCallsAsync(FaultyBeamProviders providers)
    {
        if (!providers.IgnoreTokens)
        {
            return;
        }

        providers.ReleaseIgnoredHangs();
        using var guard = new CancellationTokenSource(BeamFaultScenario.Guard);
        while (providers.Tracker.InFlight > 0)
        {
            Assert.False(guard.IsCancellationRequested, "Calls abandoned by the engine did not return after they were released.");
            await Task.Yield();
        }
    }

    /// <summary>How one run of a seed ends, and the cancellation that makes it end so.</summary>
    private sealed class RunPlan : IDisposable
    {
        private readonly CancellationTokenSource _cancellation = new();
        private readonly int _k;
        private int _finished;
        private int _canceled;

        public RunPlan(int seed, int index, string kind)
        {
            Seed = seed;
            Scope = string.Create(CultureInfo.InvariantCulture, $"{kind} chaos {seed}.{index}");
            Ending = (Ending)Draw.Int(seed, 5, "ending", Scope);
            _k = 1 + Draw.Int(seed, 40, "k", Scope);
            StopAfter = Ending == Ending.ConsumerLeavesAfterJ ? 1 + Draw.Int(seed, 20, "j", Scope) : null;
            CheckpointId = Draw.Unit(seed, "checkpoint", Scope) < 0.5 ? Scope.Replace(' ', '-') : null;
            if (Ending == Ending.AlreadyCanceled)
            {
                Cancel();
            }
        }

        public int Seed { get; }

        public string Scope { get; }

        public Ending Ending { get; }

        public int? StopAfter { get; }

        public string? CheckpointId { get; }

        public CancellationToken Token => _cancellation.Token;

        public bool Canceled => Volatile.Read(ref _canceled) == 1;

        public int StartedAtEnd { get; set; }

        /// <summary>Gets the fault of a beam call: the same for every attempt, so retries meet the same fault.</summary>
        public Fault BeamFault(ProviderCall call)
        {
            var u = Draw.Unit(Seed, "chaos", call.Scope, call.Operation, call.Subject);
            return u switch
            {
                < 0.04 => Fault.Throw,
                < 0.08 => Fault.Invalid,
                < 0.14 => Fault.Transient(1 + Draw.Int(Seed, 2, "failures", call.Scope, call.Operation, call.Subject)),
                < 0.30 => Fault.Slow(1 + Draw.Int(Seed, 4, "yields", call.Scope, call.Operation, call.Subject)),
                < 0.32 => Fault.Hang,
                _ => Fault.None,
            };
        }

        public void OnCallStarted(int kInScope)
        {
            if (Ending == Ending.CanceledWhenItsKthCallStarts && kInScope == _k)
            {
                Cancel();
            }
        }

        public void OnCallFinished()
        {
            if (Ending == Ending.CanceledWhenItsKthCallFinishes && Interlocked.Increment(ref _finished) == _k)
            {
                Cancel();
            }
        }

        /// <summary>Nothing but cancellation ends a hang: cancel, from another thread, as a caller would.</summary>
        public void OnHang() => _ = Task.Run(Cancel);

        public void Dispose() => _cancellation.Dispose();

        public override string ToString() => string.Create(
            CultureInfo.InvariantCulture, $"{Ending} (k {_k}, j {StopAfter?.ToString(CultureInfo.InvariantCulture) ?? "-"}), canceled {Canceled}");

        private void Cancel()
        {
            Volatile.Write(ref _canceled, 1);
            _cancellation.Cancel();
        }
    }
}
