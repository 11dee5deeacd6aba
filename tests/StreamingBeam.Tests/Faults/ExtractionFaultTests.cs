namespace StreamingBeam.Tests.Faults;

/// <summary>Extractors and preprocessors that throw, return unusable output or hang; required or optional; with dependents.</summary>
[Collection(FaultSuite.Name)]
public class ExtractionFaultTests
{
    private const string Scope = "input.png";

    public static TheoryData<FaultKind, bool> KindsAndRequired() => new()
    {
        { FaultKind.Throw, false }, { FaultKind.Throw, true },
        { FaultKind.Invalid, false }, { FaultKind.Invalid, true },
        { FaultKind.Hang, false }, { FaultKind.Hang, true },
    };

    public static TheoryData<FaultKind, bool> PreprocessorKindsAndRequired() => new()
    {
        { FaultKind.Throw, false }, { FaultKind.Throw, true },
        { FaultKind.Hang, false }, { FaultKind.Hang, true },
    };

    [Theory]
    [MemberData(nameof(KindsAndRequired))]
    public Task RunAsync_ExtractorFaults_FailsItSkipsItsDependentsAndStopsTheRunOnlyIfRequired(FaultKind kind, bool required) =>
        NoUnobservedExceptions.RunAsync(async () =>
        {
            // a (faulty, with a timeout) <- c;  b <- d.
            var scenario = new ExtractionFaultScenario(
            [
                new("a", [], Required: required, HasTimeout: true),
                new("b", []),
                new("c", ["a"]),
                new("d", ["b"]),
            ], (_, subject) => subject == "a" ? new Fault(kind) : Fault.None);

            var run = await ExtractionFaultScenario.RunAsync(scenario.Engine(), Scope);

            scenario.Check(run);
            var a = run.For("a")!;
            Assert.Equal(kind == FaultKind.Hang ? ExtractionStatus.TimedOut : ExtractionStatus.Failed, a.Status);
            if (required)
            {
                var error = Assert.IsType<RequiredExtractorFailedException>(run.Error);
                Assert.Equal("a", error.ExtractorName);
                Assert.Same(a.Error, error.InnerException);
                Assert.Null(run.For("c"));
            }
            else
            {
                Assert.Null(run.Error);
                Assert.Equal(ExtractionSkipReason.DependencyNotSucceeded, run.For("c")!.SkipReason);
                Assert.Equal(ExtractionStatus.Succeeded, run.For("d")!.Status);
            }
        });

    [Theory]
    [MemberData(nameof(PreprocessorKindsAndRequired))]
    public Task RunAsync_PreprocessorFaults_FailsEveryExtractorThatAsksAndNoOther(FaultKind kind, bool required) =>
        NoUnobservedExceptions.RunAsync(async () =>
        {
            // p and q share the artifact; r does not ask for it; s depends on p.
            var scenario = new ExtractionFaultScenario(
            [
                new("p", [], Required: required, HasTimeout: true, UsesArtifact: true),
                new("q", [], HasTimeout: true, UsesArtifact: true),
                new("r", []),
                new("s", ["p"]),
            ], (_, subject) => subject == FaultyExtractor.Artifact.Name ? new Fault(kind) : Fault.None);

            var run = await ExtractionFaultScenario.RunAsync(scenario.Engine(), Scope);

            scenario.Check(run);
            var expected = kind == FaultKind.Hang ? ExtractionStatus.TimedOut : ExtractionStatus.Failed;
            Assert.Equal(expected, run.For("p")!.Status);
            Assert.Equal(1, scenario.Tracker.StartedFor(Scope).Count(c => c.Operation == "Preprocess"));
            if (kind == FaultKind.Throw)
            {
                var error = Assert.IsType<InvalidOperationException>(run.For("p")!.Error);
                Assert.IsType<InjectedFaultException>(error.InnerException);
            }

            if (!required)
            {
                Assert.Equal(expected, run.For("q")!.Status);
                Assert.Equal(ExtractionStatus.Succeeded, run.For("r")!.Status);
                Assert.Equal(ExtractionStatus.Skipped, run.For("s")!.Status);
            }
        });

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public Task RunAsync_ExtractorOrPreprocessorHangsWithoutTimeout_OnlyCancellationOrDisposalEndsTheRun(bool inPreprocessor, bool disposal) =>
        NoUnobservedExceptions.RunAsync(async () =>
        {
            var scenario = new ExtractionFaultScenario(
                [new("a", [], UsesArtifact: inPreprocessor), new("b", [])],
                (_, subject) => subject == (inPreprocessor ? FaultyExtractor.Artifact.Name : "a") ? Fault.Hang : Fault.None);
            var blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var engine = scenario.Engine(advanceOnBlock: false);
            scenario.Tracker.Blocking = call => { if (call.Operation == (inPreprocessor ? "Preprocess" : "Extract")) { blocked.TrySetResult(); } };
            using var cts = new CancellationTokenSource();

            var updates = engine.ExtractStreamingAsync(new ExtractionInput { Name = Scope }, cancellationToken: cts.Token).GetAsyncEnumerator();
            try
            {
                Assert.True(await updates.MoveNextAsync().AsTask().WaitAsync(BeamFaultScenario.Guard));
                Assert.Equal("b", updates.Current.ExtractorName);
                await blocked.Task.WaitAsync(BeamFaultScenario.Guard);
                Assert.True(scenario.Tracker.InFlightFor(Scope) >= 1);

                if (!disposal)
                {
                    var next = updates.MoveNextAsync().AsTask();
                    Assert.False(next.IsCompleted);
                    await cts.CancelAsync();
                    await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(BeamFaultScenario.Guard));
                }
            }
            finally
            {
                await updates.DisposeAsync().AsTask().WaitAsync(BeamFaultScenario.Guard);
            }

            Assert.Equal(0, scenario.Tracker.InFlight);
            Assert.DoesNotContain(scenario.Tracker.Succeeded, c => c.Subject is "a" or "depth");
        });
}
