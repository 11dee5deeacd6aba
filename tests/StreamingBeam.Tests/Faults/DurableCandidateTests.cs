using System.Globalization;

namespace StreamingBeam.Tests.Faults;

/// <summary>Issue #17 item 1: a search killed at any point is resumed on a fresh engine (new providers, same behaviour)
/// without paying again for anything it had done: no provider call of the killed run is made again (so no image is
/// rendered twice), and the result equals the uninterrupted search's (ids, prompts, scores, rankings, best, usage).</summary>
/// <remarks>
/// The kill is exact: a <see cref="Turnstile"/> lets one provider call answer at a time, each after the journal saved
/// the outcome of the one before, and after the k-th saved step the store keeps nothing more, no call answers any more,
/// and the search is canceled. Every k from the first call to the last, over seeds with failures and unusable output,
/// with certain-survivor promotion on and off. Nothing waits on time.
/// </remarks>
[Collection(FaultSuite.Name)]
public sealed class DurableCandidateTests
{
    /// <summary>Seeds whose search completes (in some, every first-iteration candidate fails, which ends a search with
    /// an exception and leaves too little to kill): seed 2 loses two critiques, and with them most children.</summary>
    public static IEnumerable<object[]> Seeds() => BeamFaultScenario.WithVariants(new[] { 0, 2, 3 }.Select(s => new object[] { s }));

    [Theory]
    [MemberData(nameof(Seeds))]
    public Task KilledAfterTheKthStep_ResumedOnAFreshEngine_PaysForNothingTwiceAndEndsAsUninterrupted(string variant, int seed) =>
        NoUnobservedExceptions.RunAsync(async () =>
        {
            var options = Options(variant);
            var uninterrupted = await RunAsync(variant, seed, options, new InMemoryBeamCheckpointStore(), killAfter: null, resume: false);
            var steps = uninterrupted.Providers.Inner.Tracker.StartedCount;
            Assert.True(uninterrupted.Result is not null && steps > 30, $"{steps} calls, {uninterrupted.Error}");

            for (var k = 1; k < steps; k++)
            {
                var store = new InMemoryBeamCheckpointStore();
                var killed = await RunAsync(variant, seed, options, store, killAfter: k, resume: false);
                Assert.IsAssignableFrom<OperationCanceledException>(killed.Error);
                var resumed = await RunAsync(variant, seed, options, store, killAfter: null, resume: true);

                var context = string.Create(CultureInfo.InvariantCulture, $"seed {seed}, {variant}, killed after step {k}");
                AssertPaidOnce(uninterrupted, [killed, resumed], context);
                AssertSameOutcome(uninterrupted, killed, resumed, context);
            }
        });

    [Theory]
    [MemberData(nameof(Seeds))]
    public Task KilledTwice_ResumedTwice_PaysForNothingTwice(string variant, int seed) => NoUnobservedExceptions.RunAsync(async () =>
    {
        var options = Options(variant);
        var uninterrupted = await RunAsync(variant, seed, options, new InMemoryBeamCheckpointStore(), killAfter: null, resume: false);
        var steps = uninterrupted.Providers.Inner.Tracker.StartedCount;

        for (var k = 1 + seed; k < steps - 4; k += 7)
        {
            var store = new InMemoryBeamCheckpointStore();
            var first = await RunAsync(variant, seed, options, store, killAfter: k, resume: false);
            var second = await RunAsync(variant, seed, options, store, killAfter: 3, resume: true);
            Assert.IsAssignableFrom<OperationCanceledException>(second.Error);
            var third = await RunAsync(variant, seed, options, store, killAfter: null, resume: true);

            var context = string.Create(CultureInfo.InvariantCulture, $"seed {seed}, {variant}, killed after step {k}, then after 3 more");
            AssertPaidOnce(uninterrupted, [first, second, third], context);
            Assert.True(third.Result is not null, $"The last resume did not complete ({third.Error}); {context}");
            Assert.Equal(Summary(uninterrupted.Result!), Summary(third.Result!));
        }
    });

    /// <summary>Every provider call the uninterrupted search made was made exactly once across the runs: images
    /// included (counted per combined prompt), and every language-model and scoring call too.</summary>
    private static void AssertPaidOnce(Run uninterrupted, Run[] runs, string context)
    {
        var made = runs.SelectMany(r => r.Providers.Inner.Tracker.Started).Select(c => $"{c.Operation} {c.Subject}").ToList();
        var images = made.Where(c => c.StartsWith("Image ", StringComparison.Ordinal)).GroupBy(c => c).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(images.Count == 0, $"Rendered twice: {string.Join(", ", images)}; {context}");
        var expected = uninterrupted.Providers.Inner.Tracker.Started.Select(c => $"{c.Operation} {c.Subject}").Order(StringComparer.Ordinal);
        Assert.Equal(expected, made.Order(StringComparer.Ordinal));
    }

    private static void AssertSameOutcome(Run uninterrupted, Run killed, Run resumed, string context)
    {
        Assert.True(resumed.Result is not null, $"The resumed search did not complete ({resumed.Error?.Message}); {context}");
        Assert.Equal(Summary(uninterrupted.Result!), Summary(resumed.Result!));

        // Rankings: those the killed run delivered, then the resumed run's, are the uninterrupted run's.
        var from = resumed.Events.OfType<SearchStartedEvent>().Single().ResumedFrom!.Iteration;
        var rankings = Rankings(killed).Where(r => r.Iteration <= from).Concat(Rankings(resumed)).Select(r => r.Text);
        Assert.Equal(Rankings(uninterrupted).Select(r => r.Text), rankings);

        // The resumed run delivers every candidate after its checkpoint's ranking, recorded ones included.
        Assert.Equal(Candidates(uninterrupted).Where(c => c.Iteration > from).Select(c => c.Text), Candidates(resumed).Select(c => c.Text));
        Assert.DoesNotContain(resumed.Events, e => e is CandidateScoredEvent or CandidateFailedEvent or ImageGeneratedEvent && e.Iteration <= from);
    }

    private static BeamSearchOptions Options(string variant) => BeamFaultScenario.Options(variant, o =>
    {
        o.MaxIterations = 3;
        o.MaxFailureRatio = 1;
        o.CheckpointId = "durable";
    });

    /// <summary>Throws on about 5 % of calls and answers unusable output on another 5 %; never retried.</summary>
    private static Fault Plan(int seed, ProviderCall call) =>
        Draw.Unit(seed, "durable", call.Operation, call.Subject) switch
        {
            < 0.05 => Fault.Throw,
            < 0.10 => Fault.Invalid,
            _ => Fault.None,
        };

    private static async Task<Run> RunAsync(string variant, int seed, BeamSearchOptions options, IBeamCheckpointStore store, int? killAfter, bool resume)
    {
        // A fresh engine and fresh providers for every run, as after a restart of the process.
        var turnstile = killAfter is { } k ? new Turnstile(k, seed * 1000 + k) : null;
        var providers = new KillableProviders(new FaultyBeamProviders(call => Plan(seed, call), seed), turnstile);
        var engine = new BeamSearchEngine(providers, providers, providers, timeProvider: new Microsoft.Extensions.Time.Testing.FakeTimeProvider(),
            checkpointStore: new CrashingStore(store, turnstile));
        using var kill = new CancellationTokenSource();
        _ = turnstile?.Killed.ContinueWith(_ => kill.Cancel(), TaskScheduler.Default);
        var stream = resume ? engine.ResumeStreamingAsync(options.CheckpointId!, kill.Token) : engine.SearchStreamingAsync(BeamFaultScenario.Prompt, options, kill.Token);
        var (events, error, _) = await StreamCapture.ReadAsync(stream, null).WaitAsync(BeamFaultScenario.Guard);
        Assert.Equal(0, providers.Inner.Tracker.InFlight);
        return new Run(providers, events, error, events.OfType<SearchCompletedEvent>().SingleOrDefault()?.Result);
    }

    private static string Summary(BeamSearchResult r) =>
        $"{r.Best.Id} | {r.Best.What} | {r.Best.How} | {r.Best.CombinedPrompt} | {r.Best.Total:R} | {r.StopReason} | {r.Iterations} | {r.Usage} | " +
        $"{r.CandidatesScored}/{r.CandidatesFailed}";

    private static IEnumerable<(int Iteration, string Text)> Rankings(Run run) =>
        run.Events.OfType<IterationCompletedEvent>().Select(e =>
            (e.Iteration, $"{e.Iteration}: {string.Join(' ', e.Survivors.Select(c => $"{c.Id}={c.Total:R}"))} best {e.BestSoFar?.Id} {e.Scored}/{e.Failed}"));

    private static IEnumerable<(int Iteration, string Text)> Candidates(Run run) =>
        run.Events
            .Select(e => e switch
            {
                CandidateScoredEvent s => (s.Iteration, $"{s.Candidate.Id} <- {s.Candidate.ParentId} | {s.Candidate.What} | {s.Candidate.How} | {s.Candidate.CombinedPrompt} | {s.Candidate.Total:R} | {s.Candidate.Critique} | {s.Candidate.Usage}"),
                CandidateFailedEvent f => (f.Iteration, $"{f.CandidateId} <- {f.ParentId} failed at {f.Stage}"),
                _ => (-1, null!),
            })
            .Where(c => c.Item2 is not null)
            .OrderBy(c => c.Item2, StringComparer.Ordinal);

    private sealed record Run(KillableProviders Providers, IReadOnlyList<BeamEvent> Events, Exception? Error, BeamSearchResult? Result);
}
