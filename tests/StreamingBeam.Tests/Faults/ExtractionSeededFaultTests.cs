using System.Globalization;

namespace StreamingBeam.Tests.Faults;

/// <summary>Seeded extraction runs with random dependency graphs and faults: to the end, canceled at the k-th call,
/// left by the consumer at the j-th update, and many at once on one engine.</summary>
[Collection(FaultSuite.Name)]
public class ExtractionSeededFaultTests
{
    public static TheoryData<int> Seeds() => [.. Enumerable.Range(0, 20)];

    public static TheoryData<int> FewerSeeds() => [.. Enumerable.Range(0, 10)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public Task RunAsync_SeededFaults_DeliversExactlyWhatTheModelSays(int seed) => NoUnobservedExceptions.RunAsync(async () =>
    {
        var scenario = ExtractionFaultScenario.Random(seed);

        var run = await ExtractionFaultScenario.RunAsync(scenario.Engine(yieldRate: 0.5), "input", Options(seed));

        scenario.Check(run);
    });

    [Theory]
    [MemberData(nameof(FewerSeeds))]
    public Task RunAsync_CanceledWhenTheKthCallStartsOrSucceeds_EndsWithOperationCanceledExceptionAndLeavesNothingRunning(int seed) =>
        NoUnobservedExceptions.RunAsync(async () =>
        {
            var full = ExtractionFaultScenario.Random(seed);
            await ExtractionFaultScenario.RunAsync(full.Engine(), "input", Options(seed));
            var atSuccess = seed % 2 == 1;
            var calls = atSuccess ? full.Tracker.Succeeded.Count : full.Tracker.StartedCount;

            for (var k = 1; k <= calls + 1; k++)
            {
                var scenario = ExtractionFaultScenario.Random(seed);
                using var cts = new CancellationTokenSource();
                var fired = 0;
                var kth = k;
                void CancelAt(int n)
                {
                    if (n == kth)
                    {
                        Volatile.Write(ref fired, 1);
                        cts.Cancel();
                    }
                }

                if (atSuccess)
                {
                    scenario.Tracker.CallSucceeded = (_, n) => CancelAt(n);
                }
                else
                {
                    scenario.Tracker.CallStarted = (_, n, _) => CancelAt(n);
                }

                var run = await ExtractionFaultScenario.RunAsync(scenario.Engine(yieldRate: 0.5), "input", Options(seed), cancellationToken: cts.Token);

                var wasCanceled = Volatile.Read(ref fired) == 1;
                scenario.Check(run, cancelRequested: wasCanceled);
                if (wasCanceled && run.Error is not RequiredExtractorFailedException)
                {
                    Assert.IsAssignableFrom<OperationCanceledException>(run.Error);
                }
            }
        });

    [Theory]
    [MemberData(nameof(FewerSeeds))]
    public Task RunAsync_ConsumerLeavesAfterTheJthUpdate_DisposalCancelsAndAwaitsEveryCall(int seed) => NoUnobservedExceptions.RunAsync(async () =>
    {
        var full = ExtractionFaultScenario.Random(seed);
        var complete = await ExtractionFaultScenario.RunAsync(full.Engine(), "input", Options(seed));

        for (var j = 1; j < complete.Updates.Count; j++)
        {
            var scenario = ExtractionFaultScenario.Random(seed);
            var run = await ExtractionFaultScenario.RunAsync(scenario.Engine(yieldRate: 0.5), "input", Options(seed), stopAfter: j);

            // A required failure may end a run before its j-th update: how many arrive first depends on scheduling.
            Assert.True(run.Error is null || (run.Error is RequiredExtractorFailedException && run.Updates.Count < j), run.Error?.ToString());
            Assert.Equal(0, scenario.Tracker.InFlight);
            var startedAtDisposal = scenario.Tracker.StartedCount;
            scenario.Check(run);
            await Task.Yield();
            Assert.Equal(startedAtDisposal, scenario.Tracker.StartedCount);
        }
    });

    [Theory]
    [MemberData(nameof(FewerSeeds))]
    public Task RunAsync_ManyFaultyRunsOnOneEngine_EachDeliversWhatTheModelSaysAndNothingIsLeftRunning(int seed) =>
        NoUnobservedExceptions.RunAsync(async () =>
        {
            const int runs = 10;
            var scenario = ExtractionFaultScenario.Random(seed);
            var engine = scenario.Engine(yieldRate: 0.5);
            var cancellations = Enumerable.Range(0, runs).Select(_ => new CancellationTokenSource()).ToArray();
            var canceled = new int[runs];
            string ScopeOf(int i) => string.Create(CultureInfo.InvariantCulture, $"input {i}");
            var cancelAt = Enumerable.Range(0, runs).ToDictionary(ScopeOf, i => (Index: i, K: i % 3 == 1 ? 1 + Draw.Int(seed, 6, "cancel", ScopeOf(i)) : 0), StringComparer.Ordinal);
            scenario.Tracker.CallStarted = (call, _, kInScope) =>
            {
                var (index, k) = cancelAt[call.Scope];
                if (kInScope == k)
                {
                    Volatile.Write(ref canceled[index], 1);
                    cancellations[index].Cancel();
                }
            };

            var records = await Task.WhenAll(Enumerable.Range(0, runs).Select(i => Task.Run(() => ExtractionFaultScenario.RunAsync(
                engine,
                ScopeOf(i),
                new ExtractionRunOptions { MaxConcurrency = 2 },
                stopAfter: i % 3 == 2 ? 1 + Draw.Int(seed, 4, "stop", ScopeOf(i)) : null,
                cancellationToken: cancellations[i].Token))));

            Assert.Equal(0, scenario.Tracker.InFlight);
            for (var i = 0; i < runs; i++)
            {
                scenario.Check(records[i], cancelRequested: Volatile.Read(ref canceled[i]) == 1);
                cancellations[i].Dispose();
            }
        });

    private static ExtractionRunOptions Options(int seed) =>
        new() { MaxConcurrency = (seed % 4) switch { 0 => null, var n => n } };
}
