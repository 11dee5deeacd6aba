using StreamingBeam.Beam.Internal;
using StreamingBeam.Tests.Faults;

namespace StreamingBeam.Tests.Beam;

/// <summary>What "saved" means relative to events, and what a journal holds: lanes never wait for the store, an event is
/// published only after the records before it are saved, a store that fails ends saving but not the search, and a
/// resume reuses what was recorded up to the failure.</summary>
public sealed class CheckpointJournalTests
{
    [Fact]
    public async Task WhileASaveIsHeld_LanesGoOn_ButNoEventIsPublished()
    {
        var store = new HeldStore(new InMemoryBeamCheckpointStore());
        var providers = new FaultyBeamProviders();
        var iterationZeroDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        providers.Tracker.CallFinished = (_, n) =>
        {
            if (n == 24)
            {
                iterationZeroDone.TrySetResult(); // N 4: two expansions, a combine, an image and two scores each
            }
        };
        var engine = new BeamSearchEngine(providers, providers, providers, checkpointStore: store);
        var options = new BeamSearchOptions { BeamWidth = 4, KeepTop = 2, MaxIterations = 2, CheckpointId = "held" };

        await using var events = engine.SearchStreamingAsync(BeamFaultScenario.Prompt, options).GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(BeamFaultScenario.Guard));
        Assert.IsType<SearchStartedEvent>(events.Current); // published once the journal was created
        var next = events.MoveNextAsync();
        await store.FirstAppend.WaitAsync(BeamFaultScenario.Guard);

        // The writer is held inside its first save: every lane of iteration 0 still runs to its end...
        await iterationZeroDone.Task.WaitAsync(BeamFaultScenario.Guard);

        // ...but nothing they did is reported before it is saved.
        Assert.False(next.IsCompleted);

        store.Release();
        Assert.True(await next.AsTask().WaitAsync(BeamFaultScenario.Guard));
        var rest = new List<BeamEvent> { events.Current };
        while (await events.MoveNextAsync())
        {
            rest.Add(events.Current);
        }

        Assert.IsType<SearchCompletedEvent>(rest[^1]);
        var checkpoint = await store.LoadCheckpointAsync("held");
        Assert.Equal(1, checkpoint!.Iteration);
        Assert.Equal(0, checkpoint.RecordedCalls);
    }

    [Fact]
    public async Task AStoreThatFailsMidSearch_EndsSavingOnly_AndAResumeReusesWhatWasSaved()
    {
        // The store keeps the first 10 records (wherever its batches end) and then fails, as one that died mid-write.
        var inner = new InMemoryBeamCheckpointStore();
        var failing = new FailingAfter(inner, goodRecords: 10);
        var options = new BeamSearchOptions { BeamWidth = 4, KeepTop = 2, MaxIterations = 2, CheckpointId = "flaky" };
        var first = new FaultyBeamProviders(yieldRate: 0.5);
        var completed = await new BeamSearchEngine(first, first, first, checkpointStore: failing).SearchAsync(BeamFaultScenario.Prompt, options);
        Assert.Equal(2, completed.Iterations);
        Assert.Equal(0, failing.AppendsAfterFailure);

        Assert.Equal(11, (await inner.LoadAsync("flaky"))!.Count);
        var again = new FaultyBeamProviders();
        var resumed = await new BeamSearchEngine(again, again, again, checkpointStore: inner).ResumeAsync("flaky");

        Assert.Equal((completed.Best.Id, completed.Best.Total, completed.Usage), (resumed.Best.Id, resumed.Best.Total, resumed.Usage));
        Assert.Equal(first.Tracker.StartedCount - 10, again.Tracker.StartedCount);
    }

    [Fact]
    public async Task AResumedSearch_SaysWhatItReuses()
    {
        var store = new InMemoryBeamCheckpointStore();
        var providers = new FaultyBeamProviders();
        var options = new BeamSearchOptions { BeamWidth = 4, KeepTop = 2, MaxIterations = 2, CheckpointId = "told" };
        using var cts = new CancellationTokenSource();
        providers.Tracker.CallFinished = (call, n) =>
        {
            if (n == 10)
            {
                cts.Cancel(); // in iteration 0, some candidates through their image
            }
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => new BeamSearchEngine(providers, providers, providers, checkpointStore: store).SearchAsync(BeamFaultScenario.Prompt, options, cts.Token));

        var again = new FaultyBeamProviders();
        var events = await new BeamSearchEngine(again, again, again, checkpointStore: store).ResumeStreamingAsync("told").ToListAsync();

        var from = Assert.IsType<SearchStartedEvent>(events[0]).ResumedFrom!;
        Assert.Equal(-1, from.Iteration);
        Assert.Null(from.Best);
        Assert.Empty(from.Survivors);
        Assert.Equal(0, events[0].Iteration);
        Assert.True(from.RecordedCalls >= 10, $"{from.RecordedCalls} recorded");
        Assert.Equal(from.RecordedImages, events.OfType<ImageGeneratedEvent>().Count() - again.Tracker.Started.Count(c => c.Operation == "Image"));
        Assert.Equal(8, events.OfType<CandidateScoredEvent>().Count() + events.OfType<CandidateFailedEvent>().Count());
    }

    [Theory]
    [InlineData(6)]
    [InlineData(17)]
    [InlineData(31)]
    public async Task FailedAttemptsThatWereCharged_AreCountedOnce_AcrossAnInterruptionAndAResume(int cancelAtCall)
    {
        // Every combine's first attempt fails with a charge (a 503 the provider billed), and is retried.
        var options = new BeamSearchOptions
        {
            BeamWidth = 4, KeepTop = 2, MaxIterations = 2, CheckpointId = "charged", Retry = { MaxRetries = 1, BaseDelay = TimeSpan.Zero },
        };
        var whole = new ChargingProviders(new FaultyBeamProviders());
        var expected = await new BeamSearchEngine(whole, whole, whole, checkpointStore: new InMemoryBeamCheckpointStore())
            .SearchAsync(BeamFaultScenario.Prompt, options);
        Assert.True(expected.Usage.Cost > 0);

        var store = new InMemoryBeamCheckpointStore();
        var first = new ChargingProviders(new FaultyBeamProviders());
        using var cts = new CancellationTokenSource();
        first.Inner.Tracker.CallStarted = (_, n, _) =>
        {
            if (n == cancelAtCall)
            {
                cts.Cancel();
            }
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => new BeamSearchEngine(first, first, first, checkpointStore: store).SearchAsync(BeamFaultScenario.Prompt, options, cts.Token));

        var again = new ChargingProviders(new FaultyBeamProviders());
        var resumed = await new BeamSearchEngine(again, again, again, checkpointStore: store).ResumeAsync("charged");

        Assert.Equal(expected.Usage, resumed.Usage);
        Assert.Equal((expected.Best.Id, expected.Best.Total), (resumed.Best.Id, resumed.Best.Total));
    }

    /// <summary>Fails the first attempt of every combine with a transient <see cref="ProviderException"/> that reports a
    /// cost, then answers as the inner providers do.</summary>
    private sealed class ChargingProviders(FaultyBeamProviders inner) : ILlmClient, IImageGenerator, IVisionScorer
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _combines = new(StringComparer.Ordinal);

        public FaultyBeamProviders Inner => inner;

        public Task<LlmResponse> ExpandAsync(ExpandRequest request, CancellationToken cancellationToken = default) => inner.ExpandAsync(request, cancellationToken);

        public Task<LlmResponse> CombineAsync(CombineRequest request, CancellationToken cancellationToken = default) =>
            _combines.AddOrUpdate(request.What + "|" + request.How, 1, (_, n) => n + 1) == 1
                ? Task.FromException<LlmResponse>(new ProviderException("busy") { IsTransient = true, StatusCode = 503, Usage = new ProviderUsage(10, 0, 0, 0.25m) })
                : inner.CombineAsync(request, cancellationToken);

        public Task<LlmResponse> CritiqueAsync(CritiqueRequest request, CancellationToken cancellationToken = default) => inner.CritiqueAsync(request, cancellationToken);

        public Task<LlmResponse> RefineAsync(RefineRequest request, CancellationToken cancellationToken = default) => inner.RefineAsync(request, cancellationToken);

        public Task<GeneratedImage> GenerateAsync(string prompt, CancellationToken cancellationToken = default) => inner.GenerateAsync(prompt, cancellationToken);

        public Task<VisionScore> ScoreAlignmentAsync(GeneratedImage image, string prompt, CancellationToken cancellationToken = default) =>
            inner.ScoreAlignmentAsync(image, prompt, cancellationToken);

        public Task<VisionScore> ScoreAestheticAsync(GeneratedImage image, CancellationToken cancellationToken = default) =>
            inner.ScoreAestheticAsync(image, cancellationToken);
    }

    private sealed class HeldStore(IBeamCheckpointStore inner) : IBeamCheckpointStore
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _firstAppend = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task FirstAppend => _firstAppend.Task;

        public void Release() => _release.TrySetResult();

        public ValueTask CreateAsync(string checkpointId, ReadOnlyMemory<byte> firstRecord, CancellationToken cancellationToken = default) =>
            inner.CreateAsync(checkpointId, firstRecord, cancellationToken);

        public async ValueTask AppendAsync(string checkpointId, IReadOnlyList<ReadOnlyMemory<byte>> records, CancellationToken cancellationToken = default)
        {
            _firstAppend.TrySetResult();
            await _release.Task.WaitAsync(cancellationToken);
            await inner.AppendAsync(checkpointId, records, cancellationToken);
        }

        public ValueTask<IReadOnlyList<ReadOnlyMemory<byte>>?> LoadAsync(string checkpointId, CancellationToken cancellationToken = default) =>
            inner.LoadAsync(checkpointId, cancellationToken);
    }

    private sealed class FailingAfter(IBeamCheckpointStore inner, int goodRecords) : IBeamCheckpointStore
    {
        private int _saved;
        private bool _failed;

        public int AppendsAfterFailure { get; private set; }

        public ValueTask CreateAsync(string checkpointId, ReadOnlyMemory<byte> firstRecord, CancellationToken cancellationToken = default) =>
            inner.CreateAsync(checkpointId, firstRecord, cancellationToken);

        public async ValueTask AppendAsync(string checkpointId, IReadOnlyList<ReadOnlyMemory<byte>> records, CancellationToken cancellationToken = default)
        {
            if (_failed)
            {
                AppendsAfterFailure++;
            }

            var kept = records.Take(goodRecords - _saved).ToArray();
            await inner.AppendAsync(checkpointId, kept, cancellationToken);
            _saved += kept.Length;
            if (kept.Length < records.Count)
            {
                _failed = true;
                throw new IOException("the store went away");
            }
        }

        public ValueTask<IReadOnlyList<ReadOnlyMemory<byte>>?> LoadAsync(string checkpointId, CancellationToken cancellationToken = default) =>
            inner.LoadAsync(checkpointId, cancellationToken);
    }
}
