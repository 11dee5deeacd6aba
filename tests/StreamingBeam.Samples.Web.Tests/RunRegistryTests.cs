using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StreamingBeam.Samples.Web.Hosting;
using StreamingBeam.Samples.Web.Runs;

namespace StreamingBeam.Samples.Web.Tests;

public sealed class RunRegistryTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task TryCreate_FullWithAFinishedRun_EvictsTheOldestFinishedRun()
    {
        await using var registry = Create(maxRuns: 2);
        var first = await StartFinishedAsync(registry);
        _time.Advance(TimeSpan.FromSeconds(1));
        var second = await StartFinishedAsync(registry);

        var third = registry.TryCreate(RunKind.Beam);

        Assert.NotNull(third);
        Assert.Null(registry.Find(first.Id));
        Assert.Same(second, registry.Find(second.Id));
        Assert.Equal(2, registry.Count);
    }

    [Fact]
    public async Task TryCreate_FullOfRunningRuns_ReturnsNull()
    {
        await using var registry = Create(maxRuns: 1);
        var running = registry.TryCreate(RunKind.Beam)!;
        running.Start((_, ct) => Task.Delay(Timeout.Infinite, ct));

        Assert.Null(registry.TryCreate(RunKind.Beam));
        Assert.Equal(1, registry.Count);
    }

    [Fact]
    public async Task Find_FinishedRunPastItsRetention_IsDropped()
    {
        await using var registry = Create(maxRuns: 4, retention: TimeSpan.FromMinutes(5));
        var run = await StartFinishedAsync(registry);

        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.Same(run, registry.Find(run.Id));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Null(registry.Find(run.Id));
        Assert.Equal(0, registry.Count); // the sweep timer dropped it
    }

    [Fact]
    public async Task DisposeAsync_RunningRun_CancelsItAndWaitsForItsWork()
    {
        var registry = Create(maxRuns: 1);
        var run = registry.TryCreate(RunKind.Extraction)!;
        var observed = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        run.Start(async (r, ct) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                observed.SetResult(r.CancelReason);
                throw;
            }
        });

        await registry.DisposeAsync();

        Assert.True(run.Completion.IsCompleted);
        Assert.Equal(CancelReasons.ServerStopping, await observed.Task);
    }

    private static async Task<StreamRun> StartFinishedAsync(RunRegistry registry)
    {
        var run = registry.TryCreate(RunKind.Beam)!;
        run.Start((r, _) =>
        {
            r.Append("done", []);
            return Task.CompletedTask;
        });
        await run.Completion;
        return run;
    }

    private RunRegistry Create(int maxRuns, TimeSpan? retention = null)
    {
        var options = new WebSampleOptions { MaxRuns = maxRuns, FinishedRunRetention = retention ?? TimeSpan.FromMinutes(5) };
        var lifetime = Substitute.For<IHostApplicationLifetime>();
        lifetime.ApplicationStopping.Returns(CancellationToken.None);
        return new RunRegistry(Options.Create(options), _time, lifetime, NullLogger<RunRegistry>.Instance);
    }
}
