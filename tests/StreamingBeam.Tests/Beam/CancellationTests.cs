using StreamingBeam.Testing;
using static StreamingBeam.Tests.Beam.BeamTestKit;

namespace StreamingBeam.Tests.Beam;

public class CancellationTests
{
    private static bool IsImage(string key) => key.StartsWith("image:", StringComparison.Ordinal);

    [Fact]
    public async Task MethodToken_CancelsEveryCallInFlight_AndTheStreamThrows()
    {
        var providers = new GatedBeamProviders(autoRelease: key => !IsImage(key));
        using var cts = new CancellationTokenSource();
        var recorder = StreamRecorder(Engine(providers).SearchStreamingAsync(Prompt, new BeamSearchOptions { BeamWidth = 3, KeepTop = 1 }, cts.Token));

        await providers.Gate.WaitForStartAsync(BeamGateKeys.Image(Combined(0)));
        await providers.Gate.WaitForStartAsync(BeamGateKeys.Image(Combined(2)));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => recorder.Completion);
        Assert.Equal(0, providers.Gate.InFlight);
        Assert.Equal(3, providers.Gate.Canceled.Count(IsImage));
        Assert.DoesNotContain(recorder.Items, e => e is SearchCompletedEvent or CandidateFailedEvent);
    }

    [Fact]
    public async Task WithCancellationToken_CancelsEveryCallInFlight_AndTheStreamThrows()
    {
        var providers = new GatedBeamProviders(autoRelease: key => !IsImage(key));
        using var cts = new CancellationTokenSource();
        var recorder = Support.StreamRecorder<BeamEvent>.Start(
            Engine(providers).SearchStreamingAsync(Prompt, new BeamSearchOptions { BeamWidth = 2, KeepTop = 1 }),
            cts.Token);

        await providers.Gate.WaitForStartAsync(BeamGateKeys.Image(Combined(1)));
        await providers.Gate.WaitForStartAsync(BeamGateKeys.Image(Combined(0)));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => recorder.Completion);
        Assert.Equal(0, providers.Gate.InFlight);
        Assert.Equal(2, providers.Gate.Canceled.Count);
    }

    [Fact]
    public async Task CancelingDuringACritique_CancelsItAndItsWaitingChildren()
    {
        var held = BeamGateKeys.Critique(1, W(0), H(0));
        var providers = new GatedBeamProviders(autoRelease: key => key != held);
        using var cts = new CancellationTokenSource();
        var recorder = StreamRecorder(Engine(providers).SearchStreamingAsync(Prompt, new BeamSearchOptions { BeamWidth = 2, KeepTop = 1 }, cts.Token));

        await providers.Gate.WaitForStartAsync(held);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => recorder.Completion);
        Assert.Equal([held], providers.Gate.Canceled);
        Assert.Equal(0, providers.Gate.InFlight);
        Assert.DoesNotContain(recorder.Items, e => e is CandidateFailedEvent);
    }

    [Fact]
    public async Task LeavingAwaitForeachEarly_CancelsAndAwaitsEverythingInFlight()
    {
        var providers = new GatedBeamProviders(autoRelease: key => !key.StartsWith("alignment:", StringComparison.Ordinal));
        var engine = Engine(providers);

        await foreach (var e in engine.SearchStreamingAsync(Prompt, new BeamSearchOptions { BeamWidth = 3, KeepTop = 1 }))
        {
            if (e is ImageGeneratedEvent)
            {
                break;
            }
        }

        // Disposal returned: nothing of the search may still be running.
        Assert.Equal(0, providers.Gate.InFlight);
        Assert.NotEmpty(providers.Gate.Canceled);
        Assert.All(providers.Gate.Canceled, key => Assert.StartsWith("alignment:", key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task LeavingEarly_AfterSearchStarted_LeavesNothingRunning()
    {
        var providers = new GatedBeamProviders();
        await foreach (var e in Engine(providers).SearchStreamingAsync(Prompt, new BeamSearchOptions { BeamWidth = 4, KeepTop = 2 }))
        {
            Assert.IsType<SearchStartedEvent>(e);
            await providers.Gate.WaitForStartAsync(BeamGateKeys.Expand(PromptDimension.How, 3));
            break;
        }

        Assert.Equal(0, providers.Gate.InFlight);
        Assert.Equal(8, providers.Gate.Canceled.Count);
    }

    [Fact]
    public async Task SearchAsync_HonoursItsToken()
    {
        var providers = new GatedBeamProviders(autoRelease: key => !IsImage(key));
        using var cts = new CancellationTokenSource();
        var search = Engine(providers).SearchAsync(Prompt, new BeamSearchOptions { BeamWidth = 1, KeepTop = 1 }, cts.Token);

        await providers.Gate.WaitForStartAsync(BeamGateKeys.Image(Combined(0)));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => search);
        Assert.Equal(0, providers.Gate.InFlight);
    }

    private static Support.StreamRecorder<BeamEvent> StreamRecorder(IAsyncEnumerable<BeamEvent> stream) =>
        Support.StreamRecorder<BeamEvent>.Start(stream, CancellationToken.None);
}
