using System.Text;
using StreamingBeam.Testing;
using StreamingBeam.Tests.Beam;

namespace StreamingBeam.Tests.Faults;

/// <summary>Issue #15 items 2 (loading), 6 and 7: a loaded checkpoint is validated before anything runs, the file
/// store reads what it should and what it cannot read is rejected as <see cref="BeamCheckpointException"/>, and a store
/// says which checkpoint ids it can use. (Since #17 a checkpoint is a journal; a broken checkpoint is written as the
/// journal that would hold it.)</summary>
public sealed class CheckpointFaultTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "streamingbeam-faults-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<string, string> BrokenCheckpoints() => new()
    {
        { "null survivors", "Survivors is null" },
        { "null survivor", "Survivors[1] is null" },
        { "null id", "Survivors[0].Id is null" },
        { "empty id", "Survivors[0].Id is null, empty" },
        { "null what", "Survivors[0].What is null" },
        { "empty how", "Survivors[1].How is null, empty" },
        { "null combined", "Survivors[0].CombinedPrompt is null" },
        { "null image", "Survivors[1].Image is null" },
        { "null best", "Best is null" },
        { "best without id", "Best.Id is null" },
        { "negative iteration", "Iteration is -3" },
        { "iteration 5000", "Iteration is 5000" },
        { "iteration = max", "Iteration is 3" },
        { "negative images", "Images is -1" },
        { "negative candidates scored", "CandidatesScored is -1" },
        { "negative candidates failed", "CandidatesFailed is -2" },
        { "negative scored", "Scored is -1" },
        { "negative failed", "Failed is -1" },
        { "negative usage tokens", "Usage.InputTokens is -5" },
        { "negative usage cost", "Usage.Cost is -0.5" },
        { "null options", "Options is null" },
        { "invalid options", "Options: BeamSearchOptions.BeamWidth must be between 1 and 100000; it was 0." },
        { "empty prompt", "Prompt is null, empty" },
        { "NaN score", "Survivors[0].Total is NaN" },
    };

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Validate_ACheckpointAsTheEngineSavesIt_Passes()
    {
        BeamCheckpointValidator.Validate(Checkpoint());
        Assert.Empty(BeamCheckpointValidator.GetErrors(Checkpoint()));
    }

    [Theory]
    [MemberData(nameof(BrokenCheckpoints))]
    public void Validate_BrokenCheckpoint_ThrowsNamingTheField(string broken, string field)
    {
        var error = Assert.Throws<BeamCheckpointException>(() => BeamCheckpointValidator.Validate(Break(broken)));

        Assert.Contains(field, error.Message, StringComparison.Ordinal);
        Assert.Contains("'run-1'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralBrokenFields_ListsEveryOne()
    {
        var checkpoint = Checkpoint(iteration: -1, images: -1, survivors: [null!]);

        var error = Assert.Throws<BeamCheckpointException>(() => BeamCheckpointValidator.Validate(checkpoint));

        Assert.Contains("Iteration is -1", error.Message, StringComparison.Ordinal);
        Assert.Contains("Images is -1", error.Message, StringComparison.Ordinal);
        Assert.Contains("Survivors[0] is null", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NeverQuotesPrompts()
    {
        var checkpoint = Checkpoint(what: " ", iteration: -1);

        var error = Assert.Throws<BeamCheckpointException>(() => BeamCheckpointValidator.Validate(checkpoint));

        Assert.DoesNotContain("secret prompt", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BrokenCheckpoints))]
    public async Task FileStore_LoadCheckpointAsync_BrokenCheckpoint_ThrowsNamingTheCheckpointAndTheField(string broken, string field)
    {
        var store = new FileBeamCheckpointStore(_directory);
        await Journals.WriteAsync(store, Break(broken));

        var error = await Assert.ThrowsAsync<BeamCheckpointException>(() => store.LoadCheckpointAsync("run-1").AsTask());

        Assert.Contains("'run-1'", error.Message, StringComparison.Ordinal);
        Assert.Contains(InJournal(broken, field), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"1\"", "String")]
    [InlineData("null", "Null")]
    [InlineData("true", "True")]
    [InlineData("{}", "Object")]
    [InlineData("[1]", "Array")]
    [InlineData("1.5", "1.5")]
    [InlineData("99999999999", "99999999999")]
    public async Task FileStore_LoadCheckpointAsync_FormatVersionOfTheWrongType_ThrowsBeamCheckpointException(string version, string shown)
    {
        var store = new FileBeamCheckpointStore(_directory);
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(store.PathOf("typed"), $"{{\"kind\": \"header\", \"formatVersion\": {version}, \"checkpointId\": \"typed\"}}\n");

        var error = await Assert.ThrowsAsync<BeamCheckpointException>(() => store.LoadCheckpointAsync("typed").AsTask());

        Assert.Contains("format version", error.Message, StringComparison.Ordinal);
        Assert.Contains(shown, error.Message, StringComparison.Ordinal);
        Assert.Contains("'typed'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FileStore_LoadCheckpointAsync_ValidJournalWithAUtf8ByteOrderMark_Loads()
    {
        var store = new FileBeamCheckpointStore(_directory);
        await Journals.WriteAsync(store, Checkpoint());
        var bytes = await File.ReadAllBytesAsync(store.PathOf("run-1"));
        await File.WriteAllBytesAsync(store.PathOf("run-1"), [.. Encoding.UTF8.GetPreamble(), .. bytes]);

        var loaded = await store.LoadCheckpointAsync("run-1");

        Assert.NotNull(loaded);
        Assert.Equal("c0-0", loaded.Best!.Id);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("../../etc/x")]
    [InlineData("has space")]
    [InlineData("caf\u00e9")]
    [InlineData("\u0441\u043e\u043c1")]
    [InlineData("tab\there")]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("con")]
    [InlineData("NUL")]
    [InlineData("COM1")]
    [InlineData("lpt9")]
    [InlineData("Aux.backup")]
    [InlineData("a:b")]
    public async Task FileStore_IdItCannotUse_IsRejectedWithTheRule(string id)
    {
        var store = new FileBeamCheckpointStore(_directory);

        Assert.False(store.IsValidCheckpointId(id, out var reason));
        Assert.Contains("accepts 1 to 200 ASCII letters", reason, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => store.PathOf(id));
        await Assert.ThrowsAsync<ArgumentException>(() => store.LoadAsync(id).AsTask());
        Assert.False(Directory.Exists(_directory));
    }

    [Fact]
    public void FileStore_IdOf300Characters_IsRejected()
    {
        var store = new FileBeamCheckpointStore(_directory);

        Assert.False(store.IsValidCheckpointId(new string('a', 300), out var reason));
        Assert.Contains("300 characters", reason, StringComparison.Ordinal);
        Assert.True(store.IsValidCheckpointId(new string('a', FileBeamCheckpointStore.MaxCheckpointIdLength), out _));
    }

    [Theory]
    [InlineData("run-1")]
    [InlineData("a.b_c-D9")]
    [InlineData("console")]
    [InlineData("COM10")]
    [InlineData("nul_")]
    public void FileStore_SafeId_IsAccepted(string id)
    {
        var store = new FileBeamCheckpointStore(_directory);

        Assert.True(store.IsValidCheckpointId(id, out var reason), reason);
        Assert.Null(reason);
        Assert.EndsWith(id + ".jsonl", store.PathOf(id), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a/b", true)]
    [InlineData("has space", true)]
    [InlineData("caf\u00e9", true)]
    [InlineData("con", true)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    public void InMemoryStore_AcceptsAnyNonBlankIdUpToItsLimit(string id, bool valid)
    {
        var store = new InMemoryBeamCheckpointStore();

        Assert.Equal(valid, store.IsValidCheckpointId(id, out var reason));
        Assert.Equal(valid, reason is null);
        Assert.False(store.IsValidCheckpointId(new string('x', InMemoryBeamCheckpointStore.MaxCheckpointIdLength + 1), out _));
    }

    [Fact]
    public void AStoreThatStatesNoRule_AcceptsAnyNonBlankId()
    {
        IBeamCheckpointStore store = new RulelessStore();

        Assert.True(store.IsValidCheckpointId("a/b", out _));
        Assert.False(store.IsValidCheckpointId(" ", out var reason));
        Assert.NotNull(reason);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("../../etc/x")]
    [InlineData("con")]
    public void ThrowIfInvalid_SearchOptionsWithAnIdTheStoreCannotUse_ThrowsNamingTheOptionAndTheReason(string id)
    {
        var store = new FileBeamCheckpointStore(_directory);

        var error = Assert.Throws<ArgumentException>(() => BeamCheckpointIds.ThrowIfInvalid(store, new BeamSearchOptions { CheckpointId = id }));

        Assert.Equal("options", error.ParamName);
        Assert.Contains("options.CheckpointId", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(FileBeamCheckpointStore), error.Message, StringComparison.Ordinal);
        Assert.Contains("accepts 1 to 200 ASCII letters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThrowIfInvalid_UsableIdOrNoId_DoesNotThrow()
    {
        var store = new FileBeamCheckpointStore(_directory);

        BeamCheckpointIds.ThrowIfInvalid(store, new BeamSearchOptions { CheckpointId = "run-1" });
        BeamCheckpointIds.ThrowIfInvalid(store, new BeamSearchOptions());
        BeamCheckpointIds.ThrowIfInvalid(new InMemoryBeamCheckpointStore(), "a/b", "checkpointId", "checkpointId");
    }

    [Fact]
    public void ThrowIfInvalid_ResumeId_NamesTheParameter()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            BeamCheckpointIds.ThrowIfInvalid(new FileBeamCheckpointStore(_directory), "has space", "checkpointId", "checkpointId"));

        Assert.Equal("checkpointId", error.ParamName);
        Assert.StartsWith("checkpointId 'has space' cannot be used", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BrokenCheckpoints))]
    public async Task Resume_OfABrokenCheckpointFromAnyStore_ThrowsBeforeAnyProviderCall(string broken, string field)
    {
        // The in-memory store keeps what it is given; the engine's resume path checks it all the same (it used to
        // hang on a null survivor: a child lane threw before it could report). A broken checkpoint is written as the
        // journal that would hold it.
        var store = new InMemoryBeamCheckpointStore();
        await Journals.WriteAsync(store, Break(broken));
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        var engine = new BeamSearchEngine(providers.Llm, providers.Images, providers.Scorer, checkpointStore: store);

        var ex = await Assert.ThrowsAsync<BeamCheckpointException>(() => engine.ResumeAsync("run-1").WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Contains(InJournal(broken, field), ex.Message, StringComparison.Ordinal);
        Assert.Empty(providers.Gate.Started);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("../../etc/x")]
    [InlineData("has space")]
    [InlineData("NUL")]
    public void ASearch_WithAnIdTheStoreCannotUse_IsRejectedAtTheCall(string id)
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        var engine = new BeamSearchEngine(providers.Llm, providers.Images, providers.Scorer, checkpointStore: new FileBeamCheckpointStore(_directory));

        var ex = Assert.Throws<ArgumentException>(() => engine.SearchStreamingAsync("a fox", new BeamSearchOptions { CheckpointId = id }));

        Assert.Equal("options", ex.ParamName);
        Assert.StartsWith($"options.CheckpointId '{id}' cannot be used by the checkpoint store (FileBeamCheckpointStore)", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => engine.ResumeStreamingAsync(id));
        Assert.Empty(providers.Gate.Started);
    }

    /// <summary>What reading the journal of a broken checkpoint reports: the validator's field, except for an iteration
    /// that no sequence of rankings can reach, which the journal reader reports as such.</summary>
    private static string InJournal(string broken, string field) => broken switch
    {
        "negative iteration" => "ranks iteration -3, but the ranking expected next is of iteration 0",
        _ => field,
    };

    private static BeamCheckpoint Break(string broken)
    {
        var ok = Candidate("c0-0");
        return broken switch
        {
            "null survivors" => Checkpoint(keepSurvivors: false),
            "null survivor" => Checkpoint(survivors: [ok, null!]),
            "null id" => Checkpoint(survivors: [Candidate(null!)]),
            "empty id" => Checkpoint(survivors: [Candidate("")]),
            "null what" => Checkpoint(survivors: [Candidate("c0-0", what: null!)]),
            "empty how" => Checkpoint(survivors: [ok, Candidate("c0-1", how: "")]),
            "null combined" => Checkpoint(survivors: [Candidate("c0-0", combined: null!)]),
            "null image" => Checkpoint(survivors: [ok, Candidate("c0-1", image: false)]),
            "null best" => Checkpoint(keepBest: false),
            "best without id" => Checkpoint(best: Candidate(null!)),
            "negative iteration" => Checkpoint(iteration: -3),
            "iteration 5000" => Checkpoint(iteration: 5000),
            "iteration = max" => Checkpoint(iteration: 3),
            "negative images" => Checkpoint(images: -1),
            "negative candidates scored" => Checkpoint(candidatesScored: -1),
            "negative candidates failed" => Checkpoint(candidatesFailed: -2),
            "negative scored" => Checkpoint(scored: -1),
            "negative failed" => Checkpoint(failed: -1),
            "negative usage tokens" => Checkpoint(usage: new ProviderUsage(InputTokens: -5)),
            "negative usage cost" => Checkpoint(usage: new ProviderUsage(Cost: -0.5m)),
            "null options" => Checkpoint(keepOptions: false),
            "invalid options" => Checkpoint(options: new BeamSearchOptions { BeamWidth = 0 }),
            "empty prompt" => Checkpoint(prompt: " "),
            "NaN score" => Checkpoint(survivors: [Candidate("c0-0", total: double.NaN)]),
            _ => throw new ArgumentOutOfRangeException(nameof(broken), broken, null),
        };
    }

    private static BeamCandidate Candidate(string id, string what = "W0", string how = "H0", string combined = "secret prompt", bool image = true, double total = 0.8) => new()
    {
        Id = id,
        Iteration = 0,
        VariantIndex = 0,
        What = what,
        How = how,
        CombinedPrompt = combined,
        Image = image ? new GeneratedImage { Data = new byte[] { 1, 2, 3 } } : null!,
        Alignment = 0.8,
        Aesthetic = 0.8,
        Total = total,
    };

    private static BeamCheckpoint Checkpoint(
        IReadOnlyList<BeamCandidate>? survivors = null,
        BeamCandidate? best = null,
        int iteration = 0,
        int images = 2,
        int candidatesScored = 2,
        int candidatesFailed = 0,
        int scored = 2,
        int failed = 0,
        ProviderUsage usage = default,
        BeamSearchOptions? options = null,
        string prompt = "a lighthouse at dusk",
        string what = "W0",
        bool keepSurvivors = true,
        bool keepBest = true,
        bool keepOptions = true)
    {
        var first = Candidate("c0-0", what: what);
        return new BeamCheckpoint
        {
            CheckpointId = "run-1",
            Prompt = prompt,
            Options = options ?? (keepOptions ? new BeamSearchOptions { BeamWidth = 2, KeepTop = 2, MaxIterations = 3, CheckpointId = "run-1" } : null!),
            Iteration = iteration,
            Survivors = survivors ?? (keepSurvivors ? [first, Candidate("c0-1")] : null!),
            Best = best ?? (keepBest ? first : null!),
            BestTotals = [],
            Scored = scored,
            Failed = failed,
            Usage = usage,
            LastIterationCost = 0,
            Images = images,
            CandidatesScored = candidatesScored,
            CandidatesFailed = candidatesFailed,
            Elapsed = TimeSpan.FromSeconds(1),
            SavedAt = DateTimeOffset.UnixEpoch,
        };
    }

    private sealed class RulelessStore : IBeamCheckpointStore
    {
        public ValueTask CreateAsync(string checkpointId, ReadOnlyMemory<byte> firstRecord, CancellationToken cancellationToken = default) =>
            ValueTask.CompletedTask;

        public ValueTask AppendAsync(string checkpointId, IReadOnlyList<ReadOnlyMemory<byte>> records, CancellationToken cancellationToken = default) =>
            ValueTask.CompletedTask;

        public ValueTask<IReadOnlyList<ReadOnlyMemory<byte>>?> LoadAsync(string checkpointId, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<ReadOnlyMemory<byte>>?>(null);
    }
}
