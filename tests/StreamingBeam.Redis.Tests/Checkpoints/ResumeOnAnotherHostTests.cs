using StreamingBeam.Redis.Tests.Server;
using StreamingBeam.Testing;

namespace StreamingBeam.Redis.Tests.Checkpoints;

/// <summary>Issue #17 item 2: a search killed mid-iteration on one host is resumed on another (another DI container,
/// another Redis connection) from the journal in Redis, without rendering again any image the first host rendered, and
/// ends exactly as the same search run without interruption.</summary>
public sealed class ResumeOnAnotherHostTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private const string Prompt = "a lighthouse at dusk";

    [RedisTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task KilledMidIteration_ResumedOnAnotherHost_RendersNoImageTwice(bool promote)
    {
        var prefix = redis.NewKeyPrefix();
        var options = new BeamSearchOptions { BeamWidth = 6, KeepTop = 2, MaxIterations = 3, CheckpointId = "lighthouse", PromoteCertainSurvivors = promote };
        var expected = await UninterruptedAsync(options);

        // Host A renders four of the first iteration's six images and holds the others; it is killed once the four
        // candidates are reported (an event is published only after the records before it are saved).
        var rendered = 0;
        var a = await CheckpointHost.StartAsync(redis.ConnectAsync(), prefix, _ => Interlocked.Increment(ref rendered) <= 4);
        using var kill = new CancellationTokenSource();
        var scored = 0;
        var killed = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var e in a.Engine.SearchStreamingAsync(Prompt, options, kill.Token))
            {
                if (e is CandidateScoredEvent && ++scored == 4)
                {
                    await kill.CancelAsync();
                }
            }
        });
        Assert.NotNull(killed);
        var renderedByA = a.Rendered;
        await a.DisposeAsync(); // the host is gone, its connection closed
        Assert.Equal(4, renderedByA.Count);

        // Host B: another container and connection, the same code; it resumes from Redis.
        await using var b = await CheckpointHost.StartAsync(redis.ConnectAsync(), prefix);
        var events = await b.Engine.ResumeStreamingAsync("lighthouse").ToListAsync();

        var resumedFrom = Assert.IsType<SearchStartedEvent>(events[0]).ResumedFrom!;
        Assert.Equal(-1, resumedFrom.Iteration);
        Assert.Equal(4, resumedFrom.RecordedImages);
        Assert.Empty(renderedByA.Intersect(b.Rendered));
        Assert.Equal(expected.Rendered.Order(StringComparer.Ordinal), renderedByA.Concat(b.Rendered).Order(StringComparer.Ordinal));
        Assert.Equal(Summary(expected.Result), Summary(events.OfType<SearchCompletedEvent>().Single().Result));
        Assert.Equal(expected.Rankings, Rankings(events));
    }

    private async Task<(BeamSearchResult Result, IReadOnlyList<string> Rendered, IReadOnlyList<string> Rankings)> UninterruptedAsync(BeamSearchOptions options)
    {
        await using var host = await CheckpointHost.StartAsync(redis.ConnectAsync(), redis.NewKeyPrefix());
        var events = await host.Engine.SearchStreamingAsync(Prompt, options).ToListAsync();
        return (events.OfType<SearchCompletedEvent>().Single().Result, host.Rendered, Rankings(events));
    }

    private static string Summary(BeamSearchResult r) =>
        $"{r.Best.Id} | {r.Best.CombinedPrompt} | {r.Best.Total:R} | {r.StopReason} | {r.Iterations} | {r.Usage} | {r.CandidatesScored}/{r.CandidatesFailed}";

    private static string[] Rankings(IEnumerable<BeamEvent> events) =>
        events.OfType<IterationCompletedEvent>()
            .Select(e => $"{e.Iteration}: {string.Join(' ', e.Survivors.Select(c => $"{c.Id}={c.Total:R}"))} best {e.BestSoFar?.Id}")
            .ToArray();
}
