using System.Text;
using StreamingBeam.Testing;

namespace StreamingBeam.Tests.Beam;

/// <summary>The file store keeps a journal of JSON lines: it reads back what a search saved, tolerates a line a crash
/// cut short (and overwrites it with the next save), and reports any other damage as
/// <see cref="BeamCheckpointException"/>.</summary>
public sealed class FileBeamCheckpointStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "streamingbeam-store-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task AJournalSavedBySearch_ReadsBackEveryField()
    {
        var store = new FileBeamCheckpointStore(_directory);
        var events = await RunSearchAsync(store);
        var ranked = events.OfType<IterationCompletedEvent>().Last();
        var completed = events.OfType<SearchCompletedEvent>().Single().Result;

        var loaded = (await store.LoadCheckpointAsync("round-trip"))!;

        Assert.Equal(BeamCheckpoint.CurrentFormatVersion, loaded.FormatVersion);
        Assert.Equal(("round-trip", "a lighthouse at dusk", 1, 0, 0), (loaded.CheckpointId, loaded.Prompt, loaded.Iteration, loaded.RecordedCalls, loaded.RecordedImages));
        Assert.Equal(ranked.Survivors.Select(Describe), loaded.Survivors.Select(Describe));
        Assert.Equal(Describe(completed.Best), Describe(loaded.Best!));
        Assert.True(completed.Best.Image.Data.Span.SequenceEqual(loaded.Best!.Image.Data.Span));
        Assert.True(loaded.Best.Image.Data.Length > 0);
        Assert.Equal((ranked.Scored, ranked.Failed, completed.CandidatesScored, completed.CandidatesFailed, completed.Usage),
            (loaded.Scored, loaded.Failed, loaded.CandidatesScored, loaded.CandidatesFailed, loaded.Usage));
        Assert.Equal(completed.Usage.Images, loaded.Images);
        Assert.Single(loaded.BestTotals);
        Assert.Equal(Describe(Options()), Describe(loaded.Options));

        // Metadata comes back with the types a scorer reads: text, integers, flags.
        Assert.IsType<string>(loaded.Best.Image.Metadata!["prompt"]);
        Assert.IsType<long>(loaded.Best.Image.Metadata["width"]);
        Assert.IsType<bool>(loaded.Best.Image.Metadata["simulated"]);
        Assert.Equal(new[] { "round-trip.jsonl" }, Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Create_ReplacesAnEarlierJournal_AndLeavesNoTemporaryFile()
    {
        var store = new FileBeamCheckpointStore(_directory);
        await store.CreateAsync("j", Line("{\"first\":1}"));
        await store.AppendAsync("j", [Line("{\"a\":1}"), Line("{\"b\":2}")]);

        await store.CreateAsync("j", Line("{\"second\":1}"));

        Assert.Equal(["{\"second\":1}"], Texts(await store.LoadAsync("j")));
        Assert.Single(Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task Append_WritesAfterTheLastRecord_InOrder()
    {
        var store = new FileBeamCheckpointStore(_directory);
        await store.CreateAsync("j", Line("h"));
        await store.AppendAsync("j", [Line("1"), Line("2")]);
        await store.AppendAsync("j", [Line("3")]);

        Assert.Equal(["h", "1", "2", "3"], Texts(await store.LoadAsync("j")));
        Assert.Equal("h\n1\n2\n3\n", await File.ReadAllTextAsync(store.PathOf("j")));
    }

    [Theory]
    [InlineData("{\"cut\":")]
    [InlineData("{\"a much longer line that a crash cut short before its line feed, longer than what replaces it\": ")]
    public async Task ALineCutShortByACrash_IsIgnored_AndOverwrittenByTheNextAppend(string torn)
    {
        var store = new FileBeamCheckpointStore(_directory);
        await store.CreateAsync("j", Line("h"));
        await store.AppendAsync("j", [Line("1")]);
        await File.AppendAllTextAsync(store.PathOf("j"), torn);

        Assert.Equal(["h", "1"], Texts(await store.LoadAsync("j")));

        await store.AppendAsync("j", [Line("2")]);

        Assert.Equal(["h", "1", "2"], Texts(await store.LoadAsync("j")));
        Assert.Equal("h\n1\n2\n", await File.ReadAllTextAsync(store.PathOf("j")));
    }

    [Fact]
    public async Task AnEngineJournalWithALineCutShort_ReadsAsBeforeThatSave()
    {
        var store = new FileBeamCheckpointStore(_directory);
        await RunSearchAsync(store);
        var before = Describe((await store.LoadCheckpointAsync("round-trip"))!);
        var lines = await File.ReadAllLinesAsync(store.PathOf("round-trip"));
        await File.AppendAllTextAsync(store.PathOf("round-trip"), lines[^2][..(lines[^2].Length / 2)]);

        Assert.Equal(before, Describe((await store.LoadCheckpointAsync("round-trip"))!));
    }

    [Fact]
    public async Task Load_MissingJournal_ReturnsNull()
    {
        var store = new FileBeamCheckpointStore(_directory);

        Assert.Null(await store.LoadAsync("absent"));
        Assert.Null(await store.LoadCheckpointAsync("absent"));
    }

    [Fact]
    public async Task Append_ToAMissingJournal_Throws()
    {
        var store = new FileBeamCheckpointStore(_directory);

        var error = await Assert.ThrowsAsync<BeamCheckpointException>(() => store.AppendAsync("absent", [Line("x")]).AsTask());

        Assert.Contains("'absent'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ this is not json\n", "format version (not JSON)")]
    [InlineData("[1, 2, 3]\n", "format version (none)")]
    [InlineData("{\"kind\":\"header\",\"formatVersion\": 2, \"checkpointId\": \"broken\"}\n", "Record 0")]
    public async Task Load_CorruptHeader_ThrowsNamingTheRecord(string content, string named)
    {
        var store = new FileBeamCheckpointStore(_directory);
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(store.PathOf("broken"), content, Encoding.UTF8);

        var error = await Assert.ThrowsAsync<BeamCheckpointException>(() => store.LoadCheckpointAsync("broken").AsTask());

        Assert.Contains("'broken'", error.Message, StringComparison.Ordinal);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"kind\":\"text\",\"iteration\":0,", "is not a valid record")]
    [InlineData("{\"kind\":\"teleport\"}", "is not a valid record")]
    [InlineData("", "empty line")]
    public async Task Load_CorruptMiddle_ThrowsBeamCheckpointException(string line, string expected)
    {
        var store = new FileBeamCheckpointStore(_directory);
        await RunSearchAsync(store);
        var lines = (await File.ReadAllLinesAsync(store.PathOf("round-trip"))).ToList();
        lines.Insert(lines.Count / 2, line);
        await File.WriteAllTextAsync(store.PathOf("round-trip"), string.Join('\n', lines) + "\n");

        var error = await Assert.ThrowsAsync<BeamCheckpointException>(() => store.LoadCheckpointAsync("round-trip").AsTask());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_OtherFormatVersion_ThrowsNamingBothVersions()
    {
        var store = new FileBeamCheckpointStore(_directory);
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(store.PathOf("future"), "{\"kind\":\"header\",\"formatVersion\": 99, \"checkpointId\": \"future\"}\n");

        var error = await Assert.ThrowsAsync<BeamCheckpointException>(() => store.LoadCheckpointAsync("future").AsTask());

        Assert.Contains("format version 99", error.Message, StringComparison.Ordinal);
        Assert.Contains("reads version 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_ACheckpointOfVersion1_ThrowsInsteadOfStartingOver()
    {
        var store = new FileBeamCheckpointStore(_directory);
        Directory.CreateDirectory(_directory);
        var legacy = Path.ChangeExtension(store.PathOf("old"), ".json");
        await File.WriteAllTextAsync(legacy, "{\"formatVersion\": 1, \"checkpointId\": \"old\"}");

        var error = await Assert.ThrowsAsync<BeamCheckpointException>(() => store.LoadAsync("old").AsTask());

        Assert.Contains("format version 1", error.Message, StringComparison.Ordinal);
        Assert.Contains(legacy, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_JournalOfAnotherCheckpoint_Throws()
    {
        var store = new FileBeamCheckpointStore(_directory);
        await RunSearchAsync(store);
        File.Copy(store.PathOf("round-trip"), store.PathOf("other"));

        var error = await Assert.ThrowsAsync<BeamCheckpointException>(() => store.LoadCheckpointAsync("other").AsTask());

        Assert.Contains("'round-trip'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    [InlineData("with space")]
    public void PathOf_IdThatIsNotAPlainFileName_Throws(string id)
    {
        var error = Assert.Throws<ArgumentException>(() => new FileBeamCheckpointStore(_directory).PathOf(id));

        Assert.Contains(id, error.Message, StringComparison.Ordinal);
    }

    /// <summary>A real (simulated) search with images, two iterations, saving under <c>round-trip</c>.</summary>
    private static async Task<List<BeamEvent>> RunSearchAsync(IBeamCheckpointStore store)
    {
        var providers = SimulatedProviders.Create(3, SimulatedProvidersOptions.Instant());
        var engine = new BeamSearchEngine(providers.Llm, providers.ImageGenerator, providers.VisionScorer, checkpointStore: store);
        return await engine.SearchStreamingAsync("a lighthouse at dusk", Options()).ToListAsync();
    }

    private static BeamSearchOptions Options() => new()
    {
        BeamWidth = 4, KeepTop = 2, MaxIterations = 2, CheckpointId = "round-trip", StageTimeout = TimeSpan.FromSeconds(3),
        Retry = { MaxRetries = 2 }, MaxCost = 100m, DimensionSchedule = DimensionSchedule.HowFirst,
    };

    private static ReadOnlyMemory<byte> Line(string text) => Encoding.UTF8.GetBytes(text);

    private static string[] Texts(IReadOnlyList<ReadOnlyMemory<byte>>? records) =>
        records!.Select(r => Encoding.UTF8.GetString(r.Span)).ToArray();

    private static string Describe(BeamCheckpoint c) =>
        $"{c.CheckpointId} {c.Prompt} {c.Iteration} {string.Join(';', c.Survivors.Select(Describe))} best {Describe(c.Best!)} " +
        $"{string.Join(',', c.BestTotals)} {c.Scored}/{c.Failed} {c.Usage} {c.LastIterationCost} {c.Images} {c.CandidatesScored}/{c.CandidatesFailed} " +
        $"{c.RecordedCalls}/{c.RecordedImages}";

    private static string Describe(BeamCandidate c) =>
        $"{c.Id} {c.ParentId} {c.Iteration} {c.VariantIndex} {c.What} {c.How} {c.CombinedPrompt} {c.Alignment:R} {c.AlignmentAnalysis} " +
        $"{c.Aesthetic:R} {c.AestheticAnalysis} {c.Total:R} {c.RefinedDimension} {c.Critique} {c.Timings} {c.Usage} {c.Image.MediaType} {c.Image.Data.Length} {c.Image.Uri} " +
        string.Join(',', c.Image.Metadata?.Select(m => $"{m.Key}={m.Value}") ?? []);

    private static string Describe(BeamSearchOptions o) =>
        $"{o.BeamWidth} {o.KeepTop} {o.MaxIterations} {o.Alpha:R} {o.Temperature:R} {o.DimensionSchedule} {o.RankingPool} {o.AlignmentTarget} " +
        $"{o.TargetScore} {o.ConvergenceEpsilon} {o.ConvergencePatience} {o.MaxImages} {o.MaxCost} {o.MaxFailureRatio:R} {o.StageTimeout} " +
        $"{o.PromoteCertainSurvivors} {o.CheckpointId} {o.Retry.MaxRetries} {o.Retry.BaseDelay} {o.Retry.BackoffMultiplier:R} {o.Retry.MaxDelay}";
}
