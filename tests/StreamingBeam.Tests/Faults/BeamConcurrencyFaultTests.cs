using System.Globalization;

namespace StreamingBeam.Tests.Faults;

/// <summary>Many faulty searches at once on one engine with concurrency limits, each with its own faults and ending.</summary>
[Collection(FaultSuite.Name)]
public class BeamConcurrencyFaultTests
{
    private const int Searches = 12;

    public static IEnumerable<object[]> Seeds() => BeamFaultScenario.WithVariants(Enumerable.Range(0, 8).Select(s => new object[] { s }));

    private enum Ending
    {
        RunsToItsEnd,
        CanceledAtItsKthCall,
        ConsumerLeavesAfterJEvents,
        HangsUntilCanceled,
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public Task SearchStreamingAsync_ManyFaultySearchesOnOneEngine_EachEndsAsAloneAndNothingIsLeftRunning(string variant, int seed) =>
        NoUnobservedExceptions.RunAsync(async () =>
        {
            var options = BeamSeededFaults.Options(variant);
            var plans = Enumerable.Range(0, Searches).Select(i => new SearchPlan(i, seed)).ToDictionary(p => p.Prompt, StringComparer.Ordinal);
            var providers = new FaultyBeamProviders(call => plans[call.Scope].FaultOf(call), seed, yieldRate: 0.5);
            providers.Tracker.CallStarted = (call, _, kInScope) => plans[call.Scope].OnCallStarted(kInScope);
            providers.Tracker.Blocking = call => plans[call.Scope].OnHang();
            var engine = BeamFaultScenario.Engine(variant, providers, configure: o =>
            {
                o.MaxConcurrentLlmCalls = 2;
                o.MaxConcurrentImageGenerations = 1;
                o.MaxConcurrentScoringCalls = 2;
            });

            var runs = await Task.WhenAll(plans.Values.Select(plan => Task.Run(() => BeamFaultScenario.RunAsync(
                engine, options, plan.Prompt, plan.StopAfter, plan.Cancellation.Token))));

            Assert.Equal(0, providers.Tracker.InFlight);
            foreach (var run in runs)
            {
                var plan = plans[run.Scope];
                BeamInvariants.Check(run, providers, cancelRequested: plan.Canceled);
                switch (plan.Ending)
                {
                    case Ending.RunsToItsEnd:
                        // Sharing the engine and waiting for its limits changes nothing: the same outcome as alone.
                        Assert.Equal(await RunAloneAsync(variant, plan, options), run.Summary());
                        break;
                    case Ending.HangsUntilCanceled:
                        Assert.True(plan.Canceled);
                        Assert.IsAssignableFrom<OperationCanceledException>(run.Error);
                        break;
                    case Ending.CanceledAtItsKthCall when plan.Canceled:
                        Assert.IsAssignableFrom<OperationCanceledException>(run.Error);
                        break;
                    case Ending.ConsumerLeavesAfterJEvents when run.Events.Count == plan.StopAfter:
                        Assert.True(run.StoppedByConsumer);
                        break;
                }

                plan.Cancellation.Dispose();
            }
        });

    private static async Task<string> RunAloneAsync(string variant, SearchPlan plan, BeamSearchOptions options)
    {
        var providers = new FaultyBeamProviders(plan.FaultOf, plan.Seed);
        var run = await BeamFaultScenario.RunAsync(BeamFaultScenario.Engine(variant, providers), options, plan.Prompt);
        return run.Summary();
    }

    private sealed class SearchPlan
    {
        private readonly int _cancelAt;
        private int _canceled;

        public SearchPlan(int index, int seed)
        {
            Seed = seed;
            Prompt = string.Create(CultureInfo.InvariantCulture, $"search {index} of seed {seed}");
            Ending = (Ending)((index + seed) % 4);
            _cancelAt = Ending == Ending.CanceledAtItsKthCall ? 1 + Draw.Int(seed, 40, "cancel", Prompt) : 0;
            StopAfter = Ending == Ending.ConsumerLeavesAfterJEvents ? 1 + Draw.Int(seed, 15, "stop", Prompt) : null;
            HangAt = Ending == Ending.HangsUntilCanceled ? BeamTarget.For(BeamTarget.AllStages.ElementAt(Draw.Int(seed, 7, "hang", Prompt))) : null;
        }

        public int Seed { get; }

        public string Prompt { get; }

        public Ending Ending { get; }

        public int? StopAfter { get; }

        /// <summary>Gets the call that hangs, on the best candidate's lane or its critique, which every search reaches.</summary>
        public BeamTarget? HangAt { get; }

        public CancellationTokenSource Cancellation { get; } = new();

        public bool Canceled => Volatile.Read(ref _canceled) == 1;

        public Fault FaultOf(ProviderCall call) => HangAt is { } hang
            ? (hang.Matches(call) ? Fault.Hang : Fault.None)
            : BeamSeededFaults.Plan(Seed, call);

        public void OnCallStarted(int kInScope)
        {
            if (kInScope == _cancelAt)
            {
                Cancel();
            }
        }

        public void OnHang() => _ = Task.Run(Cancel);

        private void Cancel()
        {
            Volatile.Write(ref _canceled, 1);
            Cancellation.Cancel();
        }
    }
}
