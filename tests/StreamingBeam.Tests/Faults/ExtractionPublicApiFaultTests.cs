using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StreamingBeam.Testing;
using StreamingBeam.Tests.Beam;
using StreamingBeam.Tests.Extraction;

namespace StreamingBeam.Tests.Faults;

/// <summary>Faults found by driving both engines' public API from outside (issue #15, items 1, 11, 12 and the
/// extraction side of 3): each test failed before its fix.</summary>
[Collection(FaultSuite.Name)]
public class ExtractionPublicApiFaultTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public Task AStopWhenThatThrows_DeliversItsUpdate_ThenEndsTheStreamWithItsException() => NoUnobservedExceptions.RunAsync(async () =>
    {
        var gate = new CallGate(autoRelease: key => key == "first");
        var engine = new ExtractionEngine(
            [ExtractionTestKit.Reg(new GatedExtractor("first", gate)), ExtractionTestKit.Reg(new GatedExtractor("second", gate))],
            defaultRunOptions: new ExtractionRunOptions { StopWhen = u => throw new FormatException($"cannot judge {u.ExtractorName}") });
        var seen = new List<string>();

        var ex = await Assert.ThrowsAsync<FormatException>(async () =>
        {
            await foreach (var update in engine.ExtractStreamingAsync(ExtractionTestKit.Input).WithCancellation(new CancellationTokenSource(Bound).Token))
            {
                seen.Add(update.ExtractorName);
            }
        });

        Assert.Equal("cannot judge first", ex.Message);
        Assert.Equal(["first"], seen);
        Assert.Equal(0, gate.InFlight);
    });

    [Fact]
    public void AnExtractorWhoseNameThrows_IsAConfigurationErrorListedWithTheOthers()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new ExtractionEngine(
        [
            ExtractionTestKit.Reg(new ThrowingName()),
            ExtractionTestKit.Reg(new SyncExtractor("b"), o => o.DependsOn.Add(null!)),
        ]));

        Assert.Contains(
            "Extractor at position 0 (ThrowingName): reading IExtractor.Name threw NotSupportedException: no name today",
            ex.Failures);
        Assert.Contains("Extractor 'b': ExtractorOptions.DependsOn has a null entry at position 0; list extractor names only.", ex.Failures);
    }

    [Fact]
    public Task TokensChangedByTheConsumer_DoNotReachTheDependents() => NoUnobservedExceptions.RunAsync(async () =>
    {
        JsonObject? seenByDependent = null;
        var gate = new CallGate(autoRelease: key => key == "base");
        var dependent = new GatedExtractor("dependent", gate)
        {
            Result = (context, _) =>
            {
                seenByDependent = context.GetDependencyResult("base")!.DeepClone().AsObject();
                return ValueTask.FromResult(new JsonObject());
            },
        };
        var engine = new ExtractionEngine(
        [
            ExtractionTestKit.Reg(new SyncExtractor("base", new JsonObject { ["colour"] = "red" })),
            ExtractionTestKit.Reg(dependent, o => o.DependsOn.Add("base")),
        ]);

        await foreach (var update in engine.ExtractStreamingAsync(ExtractionTestKit.Input).WithCancellation(new CancellationTokenSource(Bound).Token))
        {
            if (update.ExtractorName == "base")
            {
                update.Tokens!["colour"] = "changed by the consumer";
                gate.Release("dependent");
            }
        }

        Assert.Equal("red", seenByDependent!["colour"]!.GetValue<string>());
    });

    [Fact]
    public Task Cancellation_EndsTheStreamWithinTheGrace_WhenAnExtractorIgnoresItsToken() => NoUnobservedExceptions.RunAsync(async () =>
    {
        var time = new FakeTimeProvider();
        var deaf = new DeafExtractor();
        var engine = new ExtractionEngine(
            [ExtractionTestKit.Reg(deaf)], defaultRunOptions: new ExtractionRunOptions { AbandonedCallGrace = TimeSpan.FromSeconds(2) }, timeProvider: time);
        using var cts = new CancellationTokenSource();
        var enumerator = engine.ExtractStreamingAsync(ExtractionTestKit.Input, cancellationToken: cts.Token).GetAsyncEnumerator();
        var next = enumerator.MoveNextAsync().AsTask();
        await deaf.Started.Task.WaitAsync(Bound);

        await cts.CancelAsync();
        for (var i = 0; i < 1000 && !next.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100)); // the grace runs out on the engine's clock
            await Task.Yield();
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(Bound));
        await enumerator.DisposeAsync();
        Assert.False(deaf.Call.Task.IsCompleted);
        deaf.Call.SetException(new InvalidOperationException("observed though nobody waits for it any more"));
    });

    [Fact]
    public Task DisposingWhileAReadIsPending_EndsTheReadAndStopsTheRun() => NoUnobservedExceptions.RunAsync(async () =>
    {
        var gate = new CallGate();
        var engine = new ExtractionEngine([ExtractionTestKit.Reg(new GatedExtractor("slow", gate))]);
        var enumerator = engine.ExtractStreamingAsync(ExtractionTestKit.Input).GetAsyncEnumerator();
        var pending = enumerator.MoveNextAsync().AsTask();
        await gate.WaitForStartAsync("slow").WaitAsync(Bound);

        await enumerator.DisposeAsync().AsTask().WaitAsync(Bound);

        Assert.False(await pending.WaitAsync(Bound));
        Assert.Equal(0, gate.InFlight);
        Assert.Equal(["slow"], gate.Canceled);
        Assert.False(await enumerator.MoveNextAsync());
    });

    [Fact]
    public Task DisposingABeamSearchWhileAReadIsPending_EndsTheReadAndStopsTheSearch() => NoUnobservedExceptions.RunAsync(async () =>
    {
        var held = BeamGateKeys.Expand(PromptDimension.What, 0);
        var providers = new GatedBeamProviders(autoRelease: key => key != held);
        var enumerator = BeamTestKit.Engine(providers)
            .SearchStreamingAsync(BeamTestKit.Prompt, new BeamSearchOptions { BeamWidth = 1, KeepTop = 1 }).GetAsyncEnumerator();
        Assert.True(await enumerator.MoveNextAsync()); // SearchStartedEvent
        var pending = enumerator.MoveNextAsync().AsTask();
        await providers.Gate.WaitForStartAsync(held).WaitAsync(Bound);

        await enumerator.DisposeAsync().AsTask().WaitAsync(Bound);

        Assert.False(await pending.WaitAsync(Bound));
        Assert.Equal(0, providers.Gate.InFlight);
        Assert.Contains(held, providers.Gate.Canceled);
    });

    private sealed class ThrowingName : IExtractor
    {
        public string Name => throw new NotSupportedException("no name today");

        public Task<ExtractorOutput> ExtractAsync(ExtractionContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ExtractorOutput(new JsonObject()));
    }

    /// <summary>An extractor that ignores its token and answers only when the test completes <see cref="Call"/>.</summary>
    private sealed class DeafExtractor : IExtractor
    {
        public string Name => "deaf";

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<ExtractorOutput> Call { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<ExtractorOutput> ExtractAsync(ExtractionContext context, CancellationToken cancellationToken = default)
        {
            Started.TrySetResult();
            return Call.Task;
        }
    }
}
