using System.Text;
using StackExchange.Redis;
using StreamingBeam.Redis.Tests.Server;

namespace StreamingBeam.Redis.Tests.Checkpoints;

/// <summary>The Redis store keeps a journal as a list: it reads back every field a search saved, appends without
/// rewriting, expires journals left alone, and reports what is not a journal as <see cref="BeamCheckpointException"/>.</summary>
public sealed class RedisCheckpointStoreTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [RedisFact]
    public async Task AJournalSavedBySearch_ReadsBackEveryField()
    {
        await using var host = await CheckpointHost.StartAsync(redis.ConnectAsync(), redis.NewKeyPrefix());
        var options = Options();
        var events = await host.Engine.SearchStreamingAsync("a lighthouse at dusk", options).ToListAsync();
        var ranked = events.OfType<IterationCompletedEvent>().Last();
        var completed = events.OfType<SearchCompletedEvent>().Single().Result;

        var loaded = (await host.Store.LoadCheckpointAsync("round-trip"))!;

        Assert.Equal((BeamCheckpoint.CurrentFormatVersion, "round-trip", "a lighthouse at dusk", 1, 0, 0),
            (loaded.FormatVersion, loaded.CheckpointId, loaded.Prompt, loaded.Iteration, loaded.RecordedCalls, loaded.RecordedImages));
        Assert.Equal(ranked.Survivors.Select(Describe), loaded.Survivors.Select(Describe));
        Assert.Equal(Describe(completed.Best), Describe(loaded.Best!));
        Assert.True(completed.Best.Image.Data.Length > 0);
        Assert.True(completed.Best.Image.Data.Span.SequenceEqual(loaded.Best!.Image.Data.Span));
        Assert.Equal((ranked.Scored, ranked.Failed, completed.CandidatesScored, completed.CandidatesFailed, completed.Usage, completed.Usage.Images),
            (loaded.Scored, loaded.Failed, loaded.CandidatesScored, loaded.CandidatesFailed, loaded.Usage, loaded.Images));
        Assert.Single(loaded.BestTotals);
        Assert.Equal(Describe(options), Describe(loaded.Options));
        Assert.IsType<string>(loaded.Best.Image.Metadata!["prompt"]);
        Assert.IsType<long>(loaded.Best.Image.Metadata["width"]);
        Assert.IsType<bool>(loaded.Best.Image.Metadata["simulated"]);

        // The same records as any store would hold: an in-memory copy reads back the same.
        var records = (await host.Store.LoadAsync("round-trip"))!;
        var memory = new InMemoryBeamCheckpointStore();
        await memory.CreateAsync("round-trip", records[0]);
        await memory.AppendAsync("round-trip", records.Skip(1).ToArray());
        Assert.Equal(Describe(loaded.Best), Describe((await memory.LoadCheckpointAsync("round-trip"))!.Best!));
    }

    [RedisFact]
    public async Task CreateAppendLoad_KeepTheOrder_AndCreateReplaces()
    {
        await using var connection = await redis.ConnectAsync();
        var store = new RedisBeamCheckpointStore(connection, new RedisBeamCheckpointStoreOptions { KeyPrefix = redis.NewKeyPrefix() });

        await store.CreateAsync("j", Line("old"));
        await store.AppendAsync("j", [Line("x")]);
        await store.CreateAsync("j", Line("h"));
        await store.AppendAsync("j", [Line("1"), Line("2")]);
        await store.AppendAsync("j", [Line("3")]);

        Assert.Equal(["h", "1", "2", "3"], (await store.LoadAsync("j"))!.Select(r => Encoding.UTF8.GetString(r.Span)));
        Assert.Null(await store.LoadAsync("absent"));
        Assert.True(await store.DeleteAsync("j"));
        Assert.Null(await store.LoadAsync("j"));
    }

    [RedisFact]
    public async Task Append_ToAJournalThatExpiredOrWasDeleted_Throws_AndRecreatesNothing()
    {
        await using var connection = await redis.ConnectAsync();
        var store = new RedisBeamCheckpointStore(connection, new RedisBeamCheckpointStoreOptions { KeyPrefix = redis.NewKeyPrefix() });
        await store.CreateAsync("gone", Line("h"));
        await store.DeleteAsync("gone");

        var error = await Assert.ThrowsAsync<BeamCheckpointException>(() => store.AppendAsync("gone", [Line("1")]).AsTask());

        Assert.Contains("'gone'", error.Message, StringComparison.Ordinal);
        Assert.False(await connection.GetDatabase().KeyExistsAsync(store.KeyOf("gone")));
    }

    [RedisFact]
    public async Task EverySave_SetsTheExpiry()
    {
        await using var connection = await redis.ConnectAsync();
        var store = new RedisBeamCheckpointStore(connection, new RedisBeamCheckpointStoreOptions { KeyPrefix = redis.NewKeyPrefix(), Expiry = TimeSpan.FromHours(1) });
        var forever = new RedisBeamCheckpointStore(connection, new RedisBeamCheckpointStoreOptions { KeyPrefix = redis.NewKeyPrefix(), Expiry = null });
        var db = connection.GetDatabase();

        await store.CreateAsync("j", Line("h"));
        await db.KeyPersistAsync(store.KeyOf("j"));
        await store.AppendAsync("j", [Line("1")]);
        await forever.CreateAsync("j", Line("h"));

        Assert.InRange((await db.KeyTimeToLiveAsync(store.KeyOf("j")))!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        Assert.Null(await db.KeyTimeToLiveAsync(forever.KeyOf("j")));
    }

    [RedisFact]
    public async Task ACorruptRecord_IsRejectedWithBeamCheckpointException()
    {
        await using var host = await CheckpointHost.StartAsync(redis.ConnectAsync(), redis.NewKeyPrefix());
        await host.Engine.SearchAsync("a lighthouse at dusk", Options());
        var key = ((RedisBeamCheckpointStore)host.Store).KeyOf("round-trip");
        await host.Redis.GetDatabase().ListSetByIndexAsync(key, 5, "{\"kind\":\"image\",\"iteration\":");

        var error = await Assert.ThrowsAsync<BeamCheckpointException>(() => host.Store.LoadCheckpointAsync("round-trip").AsTask());
        var resume = await Assert.ThrowsAsync<BeamCheckpointException>(() => host.Engine.ResumeAsync("round-trip"));

        Assert.Contains("Record 5 of the checkpoint 'round-trip' is not a valid record", error.Message, StringComparison.Ordinal);
        Assert.Equal(error.Message, resume.Message);
    }

    [RedisFact]
    public async Task AKeyThatIsNotAList_IsRejectedWithBeamCheckpointException()
    {
        await using var connection = await redis.ConnectAsync();
        var store = new RedisBeamCheckpointStore(connection, new RedisBeamCheckpointStoreOptions { KeyPrefix = redis.NewKeyPrefix() });
        await connection.GetDatabase().StringSetAsync(store.KeyOf("text"), "not a journal");

        var error = await Assert.ThrowsAsync<BeamCheckpointException>(() => store.LoadAsync("text").AsTask());

        Assert.Contains("does not hold a checkpoint journal", error.Message, StringComparison.Ordinal);
    }

    [RedisFact]
    public async Task AJournalOfAnotherSearch_IsRejectedWithBeamCheckpointException()
    {
        await using var connection = await redis.ConnectAsync();
        var store = new RedisBeamCheckpointStore(connection, new RedisBeamCheckpointStoreOptions { KeyPrefix = redis.NewKeyPrefix() });
        await store.CreateAsync("copy", Line("{\"kind\":\"header\",\"formatVersion\":2,\"checkpointId\":\"original\",\"prompt\":\"p\",\"options\":{},\"startedAt\":\"2026-01-01T00:00:00+00:00\"}"));

        var error = await Assert.ThrowsAsync<BeamCheckpointException>(() => store.LoadCheckpointAsync("copy").AsTask());

        Assert.Contains("is the journal of 'original'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_OutOfRange_AreRejectedNamingEachOne()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new RedisBeamCheckpointStoreOptions { KeyPrefix = null!, Expiry = TimeSpan.Zero, Database = -2 }.Validate());

        Assert.Contains("KeyPrefix", error.Message, StringComparison.Ordinal);
        Assert.Contains("Expiry", error.Message, StringComparison.Ordinal);
        Assert.Contains("Database", error.Message, StringComparison.Ordinal);
    }

    private static BeamSearchOptions Options() => new()
    {
        BeamWidth = 4, KeepTop = 2, MaxIterations = 2, CheckpointId = "round-trip", StageTimeout = TimeSpan.FromSeconds(3),
        Retry = { MaxRetries = 2 }, MaxCost = 100m, DimensionSchedule = DimensionSchedule.HowFirst,
    };

    private static ReadOnlyMemory<byte> Line(string text) => Encoding.UTF8.GetBytes(text);

    private static string Describe(BeamCandidate c) =>
        $"{c.Id} {c.ParentId} {c.Iteration} {c.VariantIndex} {c.What} {c.How} {c.CombinedPrompt} {c.Alignment:R} {c.AlignmentAnalysis} " +
        $"{c.Aesthetic:R} {c.AestheticAnalysis} {c.Total:R} {c.RefinedDimension} {c.Critique} {c.Timings} {c.Usage} {c.Image.MediaType} {c.Image.Data.Length} {c.Image.Uri} " +
        string.Join(',', c.Image.Metadata?.Select(m => $"{m.Key}={m.Value}") ?? []);

    private static string Describe(BeamSearchOptions o) =>
        $"{o.BeamWidth} {o.KeepTop} {o.MaxIterations} {o.Alpha:R} {o.Temperature:R} {o.DimensionSchedule} {o.RankingPool} {o.AlignmentTarget} " +
        $"{o.TargetScore} {o.ConvergenceEpsilon} {o.ConvergencePatience} {o.MaxImages} {o.MaxCost} {o.MaxFailureRatio:R} {o.StageTimeout} " +
        $"{o.PromoteCertainSurvivors} {o.CheckpointId} {o.Retry.MaxRetries} {o.Retry.BaseDelay} {o.Retry.BackoffMultiplier:R} {o.Retry.MaxDelay}";
}
