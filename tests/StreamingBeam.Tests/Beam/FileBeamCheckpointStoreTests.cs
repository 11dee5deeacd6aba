using System.Text;
using StreamingBeam.Testing;

namespace StreamingBeam.Tests.Beam;

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
    public async Task SaveThenLoad_RoundTripsEveryField()
    {
        var store = new FileBeamCheckpointStore(_directory);
        var checkpoint = await RealCheckpointAsync();

        await store.SaveAsync(checkpoint);
        var loaded = await store.LoadAsync(checkpoint.CheckpointId);

        Assert.NotNull(loaded);
        Assert.Equal(BeamCheckpoint.CurrentFormatVersion, loaded.FormatVersion);
        Assert.Equal(checkpoint.Prompt, loaded.Prompt);
        Assert.Equal(checkpoint.Iteration, loaded.Iteration);
        Assert.Equal(checkpoint.Usage, loaded.Usage);
        Assert.Equal(checkpoint.LastIterationCost, loaded.LastIterationCost);
        Assert.Equal(checkpoint.BestTotals, loaded.BestTotals);
        Assert.Equal(checkpoint.Elapsed, loaded.Elapsed);
        Assert.Equal(checkpoint.SavedAt, loaded.SavedAt);
        Assert.Equal((checkpoint.Images, checkpoint.Scored, checkpoint.Failed, checkpoint.CandidatesScored, checkpoint.CandidatesFailed),
            (loaded.Images, loaded.Scored, loaded.Failed, loaded.CandidatesScored, loaded.CandidatesFailed));
        Assert.Equal(Describe(checkpoint.Options), Describe(loaded.Options));
        Assert.Equal(checkpoint.Survivors.Select(Describe), loaded.Survivors.Select(Describe));
        Assert.Equal(Describe(checkpoint.Best), Describe(loaded.Best));
        Assert.True(checkpoint.Best.Image.Data.Span.SequenceEqual(loaded.Best.Image.Data.Span));
        Assert.Equal(new[] { "round-trip.json" }, Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Save_ReplacesThePreviousCheckpoint_AndLeavesNoTemporaryFile()
    {
        var store = new FileBeamCheckpointStore(_directory);
        var checkpoint = await RealCheckpointAsync();

        await store.SaveAsync(checkpoint);
        await store.SaveAsync(new BeamCheckpoint
        {
            CheckpointId = checkpoint.CheckpointId, Prompt = checkpoint.Prompt, Options = checkpoint.Options, Iteration = 1,
            Survivors = checkpoint.Survivors, Best = checkpoint.Best, BestTotals = checkpoint.BestTotals, Scored = 1, Failed = 0,
            Usage = checkpoint.Usage, LastIterationCost = 0, Images = 1, CandidatesScored = 1, CandidatesFailed = 0,
            Elapsed = TimeSpan.Zero, SavedAt = DateTimeOffset.UnixEpoch,
        });

        Assert.Equal(1, (await store.LoadAsync(checkpoint.CheckpointId))!.Iteration);
        Assert.Single(Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task Load_MissingCheckpoint_ReturnsNull()
    {
        Assert.Null(await new FileBeamCheckpointStore(_directory).LoadAsync("absent"));
    }

    [Theory]
    [InlineData("{ this is not json")]
    [InlineData("[1, 2, 3]")]
    [InlineData("{\"formatVersion\": 1, \"checkpointId\": \"broken\"}")]
    public async Task Load_CorruptFile_ThrowsNamingTheFile(string content)
    {
        var store = new FileBeamCheckpointStore(_directory);
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(store.PathOf("broken"), content, Encoding.UTF8);

        var error = await Assert.ThrowsAsync<BeamCheckpointException>(() => store.LoadAsync("broken").AsTask());

        Assert.Contains(store.PathOf("broken"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_OtherFormatVersion_ThrowsNamingBothVersions()
    {
        var store = new FileBeamCheckpointStore(_directory);
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(store.PathOf("future"), "{\"formatVersion\": 99, \"checkpointId\": \"future\"}");

        var error = await Assert.ThrowsAsync<BeamCheckpointException>(() => store.LoadAsync("future").AsTask());

        Assert.Contains("format version 99", error.Message, StringComparison.Ordinal);
        Assert.Contains("reads version 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_FileOfAnotherCheckpoint_Throws()
    {
        var store = new FileBeamCheckpointStore(_directory);
        await store.SaveAsync(await RealCheckpointAsync());
        File.Copy(store.PathOf("round-trip"), store.PathOf("other"));

        var error = await Assert.ThrowsAsync<BeamCheckpointException>(() => store.LoadAsync("other").AsTask());

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

    /// <summary>The checkpoint a real (simulated) search saves after its first ranking.</summary>
    private static async Task<BeamCheckpoint> RealCheckpointAsync()
    {
        var store = new InMemoryBeamCheckpointStore();
        var providers = SimulatedProviders.Create(3, SimulatedProvidersOptions.Instant());
        var engine = new BeamSearchEngine(providers.Llm, providers.ImageGenerator, providers.VisionScorer, checkpointStore: store);
        var options = new BeamSearchOptions
        {
            BeamWidth = 4, KeepTop = 2, MaxIterations = 2, CheckpointId = "round-trip", StageTimeout = TimeSpan.FromSeconds(3),
            Retry = { MaxRetries = 2 }, MaxCost = 100m, DimensionSchedule = DimensionSchedule.HowFirst,
        };
        await engine.SearchAsync("a lighthouse at dusk", options);
        return (await store.LoadAsync("round-trip"))!;
    }

    private static string Describe(BeamCandidate c) =>
        $"{c.Id} {c.ParentId} {c.Iteration} {c.VariantIndex} {c.What} {c.How} {c.CombinedPrompt} {c.Alignment:R} {c.AlignmentAnalysis} " +
        $"{c.Aesthetic:R} {c.AestheticAnalysis} {c.Total:R} {c.RefinedDimension} {c.Critique} {c.Timings} {c.Usage} {c.Image.MediaType} {c.Image.Data.Length} {c.Image.Uri}";

    private static string Describe(BeamSearchOptions o) =>
        $"{o.BeamWidth} {o.KeepTop} {o.MaxIterations} {o.Alpha:R} {o.Temperature:R} {o.DimensionSchedule} {o.RankingPool} {o.AlignmentTarget} " +
        $"{o.TargetScore} {o.ConvergenceEpsilon} {o.ConvergencePatience} {o.MaxImages} {o.MaxCost} {o.MaxFailureRatio:R} {o.StageTimeout} " +
        $"{o.PromoteCertainSurvivors} {o.CheckpointId} {o.Retry.MaxRetries} {o.Retry.BaseDelay} {o.Retry.BackoffMultiplier:R} {o.Retry.MaxDelay}";
}
