using StreamingBeam.Beam.Internal;
using StreamingBeam.Testing;

namespace StreamingBeam.Tests.Beam;

/// <summary>Checkpoint journals and resuming from them: a resumed search ends exactly as an uninterrupted one, with
/// deterministic (seeded) providers. (Interruptions at any provider call: <c>Faults/DurableCandidateTests</c>.)</summary>
public sealed class ResumeTests : IDisposable
{
    private const string Prompt = "a lighthouse at dusk";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "streamingbeam-resume-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    public static TheoryData<string, int, bool, string> Interruptions()
    {
        var data = new TheoryData<string, int, bool, string>();
        foreach (var store in new[] { "memory", "file" })
        {
            foreach (var promote in new[] { true, false })
            {
                data.Add(store, 0, promote, "plain");
                data.Add(store, 1, promote, "plain");
                data.Add(store, 3, promote, "plain"); // after the last ranking, before SearchCompletedEvent
            }

            data.Add(store, 1, true, "stop-rules");
            data.Add(store, 0, true, "faults");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Interruptions))]
    public async Task Resume_AfterAnInterruption_EndsWithTheUninterruptedOutcome(string storeKind, int interruptAfter, bool promote, string variant)
    {
        var uninterrupted = await Engine(new InMemoryBeamCheckpointStore(), variant).SearchStreamingAsync(Prompt, Options(promote, variant, "uninterrupted")).ToListAsync();
        var expected = Summary(uninterrupted.OfType<SearchCompletedEvent>().Single().Result);

        IBeamCheckpointStore store = storeKind == "file" ? new FileBeamCheckpointStore(_directory) : new InMemoryBeamCheckpointStore();
        var first = Engine(store, variant);
        var options = Options(promote, variant, "interrupted");
        await foreach (var e in first.SearchStreamingAsync(Prompt, options))
        {
            Assert.IsNotType<SearchCompletedEvent>(e);
            if (e is IterationCompletedEvent { Iteration: var done } && done == interruptAfter)
            {
                break; // leaves the search: everything in flight, promoted work included, is canceled
            }
        }

        // A new engine, as after a restart of the process.
        var resumed = await Engine(store, variant).ResumeStreamingAsync("interrupted").ToListAsync();

        var started = Assert.IsType<SearchStartedEvent>(resumed[0]);
        Assert.Equal(interruptAfter, started.ResumedFrom!.Iteration);
        Assert.Equal(interruptAfter + 1, started.Iteration);
        Assert.Equal(expected, Summary(resumed.OfType<SearchCompletedEvent>().Single().Result));
        Assert.Equal(
            Rankings(uninterrupted).Where(r => r.Iteration > interruptAfter),
            Rankings(resumed));
        Assert.DoesNotContain(resumed, e => e is not SearchStartedEvent and not SearchCompletedEvent && e.Iteration <= interruptAfter);
    }

    [Fact]
    public async Task RankingsAndImages_AreStored_BeforeTheEventsThatReportThem()
    {
        var store = new InMemoryBeamCheckpointStore();
        var options = Options(promote: true, "plain", "watched");
        await foreach (var e in Engine(store, "plain").SearchStreamingAsync(Prompt, options))
        {
            switch (e)
            {
                case IterationCompletedEvent completed:
                    var checkpoint = await store.LoadCheckpointAsync("watched");
                    Assert.NotNull(checkpoint);
                    Assert.True(checkpoint.Iteration >= completed.Iteration);
                    if (checkpoint.Iteration == completed.Iteration)
                    {
                        Assert.Equal(completed.Survivors.Select(c => c.Id), checkpoint.Survivors.Select(c => c.Id));
                        Assert.Equal(completed.BestSoFar!.Id, checkpoint.Best!.Id);
                    }

                    Assert.Equal(Prompt, checkpoint.Prompt);
                    break;
                case ImageGeneratedEvent image:
                    // The image is saved before the event that shows it: a resume would not render it again.
                    var journal = await store.LoadAsync("watched");
                    Assert.Contains(
                        journal!.Skip(1).Select((r, i) => JournalCodec.Decode(r, i + 1, "watched")),
                        r => r is ImageStepRecord { Subject: var id, Iteration: var iteration } && id == image.CandidateId && iteration == image.Iteration);
                    break;
            }
        }
    }

    [Fact]
    public async Task Search_GoesOn_WhenTheStoreFails()
    {
        var store = new FailingStore();

        var result = await Engine(store, "plain").SearchAsync(Prompt, Options(promote: true, "plain", "doomed"));

        // The first save fails: the search goes on, and saves no more (a journal with a gap could not be resumed).
        Assert.Equal(4, result.Iterations);
        Assert.Equal(1, store.Attempts);
    }

    [Fact]
    public async Task Resume_WithoutACheckpoint_ThrowsInsteadOfStartingOver()
    {
        var engine = Engine(new InMemoryBeamCheckpointStore(), "plain");

        var error = await Assert.ThrowsAsync<BeamCheckpointException>(() => engine.ResumeAsync("never-saved"));

        Assert.Contains("'never-saved'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resume_OnAnEngineWithoutAStore_ThrowsAtTheCall()
    {
        var providers = SimulatedProviders.Create(1, SimulatedProvidersOptions.Instant());
        var engine = new BeamSearchEngine(providers.Llm, providers.ImageGenerator, providers.VisionScorer);

        var error = Assert.Throws<InvalidOperationException>(() => engine.ResumeStreamingAsync("x"));

        Assert.Contains("checkpoint store", error.Message, StringComparison.Ordinal);
        var search = Assert.Throws<ArgumentException>(() => engine.SearchStreamingAsync(Prompt, new BeamSearchOptions { CheckpointId = "x" }));
        Assert.Contains("CheckpointId is set but the engine has no checkpoint store", search.Message, StringComparison.Ordinal);
    }

    private static BeamSearchEngine Engine(IBeamCheckpointStore store, string variant)
    {
        var options = new SimulatedProvidersOptions();
        var latency = LatencyDistribution.LogNormal(TimeSpan.FromMilliseconds(1), 1.0);
        options.Llm.Latency = latency;
        options.ImageGenerator.Latency = latency;
        options.VisionScorer.Latency = latency;
        if (variant == "faults")
        {
            options.Llm.FailureRate = 0.1;
            options.ImageGenerator.FailureRate = 0.1;
        }

        var providers = SimulatedProviders.Create(7, options);
        return new BeamSearchEngine(providers.Llm, providers.ImageGenerator, providers.VisionScorer, checkpointStore: store);
    }

    private static BeamSearchOptions Options(bool promote, string variant, string checkpointId)
    {
        var options = new BeamSearchOptions
        {
            BeamWidth = 6,
            KeepTop = 2,
            MaxIterations = 4,
            MaxFailureRatio = 1,
            PromoteCertainSurvivors = promote,
            CheckpointId = checkpointId,
        };
        if (variant == "stop-rules")
        {
            options.MaxIterations = 8;
            options.ConvergenceEpsilon = 0.02;
            options.ConvergencePatience = 2;
            options.MaxImages = 40;
        }

        return options;
    }

    private static string Summary(BeamSearchResult r) =>
        $"{r.Best.Id} | {r.Best.What} | {r.Best.How} | {r.Best.CombinedPrompt} | {r.Best.Total:R} | {r.StopReason} | {r.Iterations} | {r.Usage} | {r.CandidatesScored}/{r.CandidatesFailed}";

    private static IEnumerable<(int Iteration, string Ranking)> Rankings(IEnumerable<BeamEvent> events) =>
        events.OfType<IterationCompletedEvent>()
            .Select(e => (e.Iteration, $"{string.Join(' ', e.Survivors.Select(c => $"{c.Id}:{c.CombinedPrompt}"))} best {e.BestSoFar?.Id} {e.Scored}/{e.Failed}"));

    private sealed class FailingStore : IBeamCheckpointStore
    {
        public int Attempts { get; private set; }

        public ValueTask CreateAsync(string checkpointId, ReadOnlyMemory<byte> firstRecord, CancellationToken cancellationToken = default)
        {
            Attempts++;
            return ValueTask.FromException(new IOException("disk full"));
        }

        public ValueTask AppendAsync(string checkpointId, IReadOnlyList<ReadOnlyMemory<byte>> records, CancellationToken cancellationToken = default)
        {
            Attempts++;
            return ValueTask.FromException(new IOException("disk full"));
        }

        public ValueTask<IReadOnlyList<ReadOnlyMemory<byte>>?> LoadAsync(string checkpointId, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<ReadOnlyMemory<byte>>?>(null);
    }
}
