using Microsoft.Extensions.Time.Testing;
using StreamingBeam.Testing;
using static StreamingBeam.Tests.Beam.BeamTestKit;

namespace StreamingBeam.Tests.Beam;

public class TimeoutRetryBudgetTests
{
    [Fact]
    public async Task StageTimeout_CancelsTheCall_AndFailsTheCandidateWithTimeoutException()
    {
        var held = BeamGateKeys.Image(Combined(0));
        var providers = new GatedBeamProviders(autoRelease: key => key != held);
        var time = new FakeTimeProvider();
        var engine = Engine(providers, time: time);
        var options = new BeamSearchOptions { BeamWidth = 2, KeepTop = 1, MaxIterations = 1, StageTimeout = TimeSpan.FromSeconds(10) };
        var recorder = Support.StreamRecorder<BeamEvent>.Start(engine.SearchStreamingAsync(Prompt, options));

        await providers.Gate.WaitForStartAsync(held);
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.DoesNotContain(held, providers.Gate.Canceled);
        time.Advance(TimeSpan.FromSeconds(1));

        var failed = await recorder.WaitForAsync<CandidateFailedEvent>();
        Assert.Equal(BeamStage.Image, failed.Stage);
        var timeout = Assert.IsType<TimeoutException>(failed.Exception);
        Assert.Equal("The Image call did not finish within the stage timeout of 00:00:10.", timeout.Message);
        Assert.Equal([held], providers.Gate.Canceled);
        await recorder.ToEndAsync();
    }

    [Fact]
    public async Task TransientFault_IsRetriedWithExponentialBackoff()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        var flaky = new FlakyImageGenerator(providers.Images, failures: 2);
        var time = new TimerCountingTimeProvider();
        var engine = new BeamSearchEngine(providers.Llm, flaky, providers.Scorer, timeProvider: time);
        var options = new BeamSearchOptions
        {
            BeamWidth = 1,
            KeepTop = 1,
            MaxIterations = 1,
            Retry = { MaxRetries = 2, BaseDelay = TimeSpan.FromSeconds(1), BackoffMultiplier = 3 },
        };
        var recorder = Support.StreamRecorder<BeamEvent>.Start(engine.SearchStreamingAsync(Prompt, options));

        // Advance the clock only once the backoff timer exists, so the test never races the engine.
        await EventuallyAsync(() => flaky.Attempts == 1 && time.TimersCreated == 1);
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(1, flaky.Attempts);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await EventuallyAsync(() => flaky.Attempts == 2 && time.TimersCreated == 2);

        // The second delay is three times the first.
        time.Advance(TimeSpan.FromMilliseconds(2999));
        Assert.Equal(2, flaky.Attempts);
        time.Advance(TimeSpan.FromMilliseconds(1));

        var scored = await recorder.WaitForAsync<CandidateScoredEvent>();
        Assert.Equal(3, flaky.Attempts);
        Assert.Equal("c0-0", scored.Candidate.Id);
        await recorder.ToEndAsync();
    }

    [Fact]
    public async Task RetriesExhausted_FailTheCandidateWithTheLastError()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        var flaky = new FlakyImageGenerator(providers.Images, failures: 5);
        var engine = new BeamSearchEngine(providers.Llm, flaky, providers.Scorer);
        var options = new BeamSearchOptions { BeamWidth = 2, KeepTop = 1, MaxIterations = 1, MaxFailureRatio = 1, Retry = { MaxRetries = 1, BaseDelay = TimeSpan.Zero } };

        var events = new List<BeamEvent>();
        await Assert.ThrowsAsync<BeamSearchException>(async () =>
        {
            await foreach (var e in engine.SearchStreamingAsync(Prompt, options))
            {
                events.Add(e);
            }
        });

        Assert.Equal(2, events.OfType<CandidateFailedEvent>().Count());
        Assert.Equal(4, flaky.Attempts);
    }

    [Fact]
    public async Task InvalidOutput_IsNotRetriedByDefault()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        providers.Images.Override(Combined(0), null);
        var options = new BeamSearchOptions { BeamWidth = 2, KeepTop = 1, MaxIterations = 1, Retry = { MaxRetries = 3, BaseDelay = TimeSpan.Zero } };

        var events = await Start(providers, options).ToEndAsync();

        Assert.IsType<ProviderOutputException>(Assert.Single(events.OfType<CandidateFailedEvent>()).Exception);
        Assert.Single(providers.Gate.Started, k => k == BeamGateKeys.Image(Combined(0)));
    }

    [Fact]
    public async Task ImageBudget_StopsBeforeAnIterationThatCouldExceedIt()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        var done = await RunToEndAsync(providers, new BeamSearchOptions { BeamWidth = 4, KeepTop = 2, MaxIterations = 5, MaxImages = 13 });

        Assert.Equal(BeamStopReason.ImageBudgetExhausted, done.Result.StopReason);
        Assert.Equal(3, done.Result.Iterations);
        Assert.Equal(12, done.Result.Usage.Images);
    }

    [Fact]
    public async Task CostBudget_StopsWhenAnotherIterationLikeTheLastWouldExceedIt()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        providers.Llm.UsagePerCall = default;
        providers.Scorer.UsagePerCall = default;
        providers.Images.UsagePerCall = new ProviderUsage(Images: 1, Cost: 1m);

        // Each iteration costs 2; after two iterations 4 is spent, and a third would reach 6 > 5.
        var done = await RunToEndAsync(providers, new BeamSearchOptions { BeamWidth = 2, KeepTop = 1, MaxIterations = 5, MaxCost = 5m });

        Assert.Equal(BeamStopReason.CostBudgetExhausted, done.Result.StopReason);
        Assert.Equal(2, done.Result.Iterations);
        Assert.Equal(4m, done.Result.Usage.Cost);
    }

    [Fact]
    public async Task TargetScore_StopsAsSoonAsTheBestReachesIt()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        providers.Scorer.SetScores(Combined(1), 0.95, 0.95);
        var done = await RunToEndAsync(providers, new BeamSearchOptions { BeamWidth = 3, KeepTop = 1, MaxIterations = 5, TargetScore = 0.9 });

        Assert.Equal(BeamStopReason.TargetScoreReached, done.Result.StopReason);
        Assert.Equal(1, done.Result.Iterations);
        Assert.Equal("c0-1", done.Result.Best.Id);
    }

    [Fact]
    public async Task Convergence_StopsWhenTheBestStopsImproving()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        var options = new BeamSearchOptions { BeamWidth = 3, KeepTop = 1, MaxIterations = 6, ConvergenceEpsilon = 0.01, ConvergencePatience = 2 };
        var done = await RunToEndAsync(providers, options);

        // Every score is 0.5, so the best never improves: the search stops once it has seen 2 iterations without progress.
        Assert.Equal(BeamStopReason.Converged, done.Result.StopReason);
        Assert.Equal(3, done.Result.Iterations);
    }

    private sealed class FlakyImageGenerator(IImageGenerator inner, int failures) : IImageGenerator
    {
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public Task<GeneratedImage> GenerateAsync(string prompt, CancellationToken cancellationToken = default)
        {
            var attempt = Interlocked.Increment(ref _attempts);
            return attempt <= failures
                ? Task.FromException<GeneratedImage>(new HttpRequestException($"attempt {attempt} failed"))
                : inner.GenerateAsync(prompt, cancellationToken);
        }
    }

    private sealed class TimerCountingTimeProvider : FakeTimeProvider
    {
        private int _timers;

        public int TimersCreated => Volatile.Read(ref _timers);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            Interlocked.Increment(ref _timers);
            return timer;
        }
    }
}
