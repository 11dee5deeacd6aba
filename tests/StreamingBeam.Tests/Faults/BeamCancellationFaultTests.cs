namespace StreamingBeam.Tests.Faults;

/// <summary>Cancellation and early exit at many points of seeded, faulty beam searches.</summary>
[Collection(FaultSuite.Name)]
public class BeamCancellationFaultTests
{
    public static IEnumerable<object[]> Seeds() => BeamFaultScenario.WithVariants(Enumerable.Range(0, 12).Select(s => new object[] { s }));

    [Theory]
    [MemberData(nameof(Seeds))]
    public Task SearchStreamingAsync_CanceledWhenTheKthCallStartsOrFinishes_EndsWithOperationCanceledExceptionAndLeavesNothingRunning(
        string variant, int seed) => NoUnobservedExceptions.RunAsync(async () =>
    {
        var options = BeamSeededFaults.Options(variant);
        var atFinish = seed % 2 == 1;
        var fullProviders = new FaultyBeamProviders(call => BeamSeededFaults.Plan(seed, call), seed);
        await BeamFaultScenario.RunAsync(BeamFaultScenario.Engine(variant, fullProviders), options);
        var calls = fullProviders.Tracker.StartedCount;

        // Every k up to one past the last call: the k-th call always happens before a cancellation at the k-th.
        for (var k = 1 + (seed % 2); k <= calls + 1; k += 2)
        {
            var providers = new FaultyBeamProviders(call => BeamSeededFaults.Plan(seed, call), seed, yieldRate: 0.3);
            using var cts = new CancellationTokenSource();
            var fired = 0;
            var kth = k;
            if (atFinish)
            {
                providers.Tracker.CallFinished = (_, n) => CancelAt(n);
            }
            else
            {
                providers.Tracker.CallStarted = (_, n, _) => CancelAt(n);
            }

            // Canceled from inside the provider call, on the provider's thread: the harshest moment.
            void CancelAt(int n)
            {
                if (n == kth)
                {
                    Volatile.Write(ref fired, 1);
                    cts.Cancel();
                }
            }

            var run = await BeamFaultScenario.RunAsync(BeamFaultScenario.Engine(variant, providers), options, cancellationToken: cts.Token);

            var wasCanceled = Volatile.Read(ref fired) == 1;
            Assert.Equal(k <= calls, wasCanceled);
            BeamInvariants.Check(run, providers, cancelRequested: wasCanceled);
            if (wasCanceled)
            {
                Assert.IsAssignableFrom<OperationCanceledException>(run.Error);
            }
        }
    });

    [Theory]
    [MemberData(nameof(Seeds))]
    public Task SearchStreamingAsync_ConsumerLeavesAfterTheJthEvent_DisposalCancelsAndAwaitsEveryCall(string variant, int seed) =>
        NoUnobservedExceptions.RunAsync(async () =>
        {
            var options = BeamSeededFaults.Options(variant);
            var full = await BeamFaultScenario.RunAsync(
                BeamFaultScenario.Engine(variant, new FaultyBeamProviders(call => BeamSeededFaults.Plan(seed, call), seed)), options);
            var disposed = new List<(FaultyBeamProviders Providers, int StartedAtDisposal)>();

            for (var j = 1; j < full.Events.Count; j++)
            {
                var providers = new FaultyBeamProviders(call => BeamSeededFaults.Plan(seed, call), seed, yieldRate: 0.3);
                var run = await BeamFaultScenario.RunAsync(BeamFaultScenario.Engine(variant, providers), options, stopAfter: j);

                // Disposal returned: nothing of the search is still running, and it threw nothing.
                Assert.Null(run.Error);
                Assert.True(run.StoppedByConsumer);
                Assert.Equal(j, run.Events.Count);
                Assert.Equal(0, providers.Tracker.InFlight);
                BeamInvariants.Check(run, providers);
                disposed.Add((providers, providers.Tracker.StartedCount));
            }

            // ...and nothing started afterwards either.
            await Task.Yield();
            Assert.All(disposed, d => Assert.Equal(d.StartedAtDisposal, d.Providers.Tracker.StartedCount));
        });
}
