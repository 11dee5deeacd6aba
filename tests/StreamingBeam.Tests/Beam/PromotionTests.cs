using StreamingBeam.Testing;
using static StreamingBeam.Tests.Beam.BeamTestKit;

namespace StreamingBeam.Tests.Beam;

/// <summary>Certain-survivor promotion, proven with gates: which work starts before the ranking barrier, and which waits.</summary>
public sealed class PromotionTests
{
    /// <summary>N 4, M 2. c0-0 and c0-1 score high, c0-2 low, and c0-3's image is held: with one lane running, only the
    /// best can be certain (one running plus nobody above is fewer than two).</summary>
    private static (GatedBeamProviders Providers, string HeldImage) StragglerSetup()
    {
        var heldImage = BeamGateKeys.Image(Combined(3));
        var providers = new GatedBeamProviders(autoRelease: key => key != heldImage);
        providers.Scorer.SetScores(Combined(0), 0.9, 0.9);
        providers.Scorer.SetScores(Combined(1), 0.8, 0.8);
        providers.Scorer.SetScores(Combined(2), 0.1, 0.1);
        providers.Scorer.SetScores(Combined(3), 0.2, 0.2);
        return (providers, heldImage);
    }

    [Fact]
    public async Task CertainSurvivor_StartsCritiqueAndChildren_BeforeTheStragglerFinishes()
    {
        var (providers, heldImage) = StragglerSetup();
        var recorder = Start(providers, new BeamSearchOptions { BeamWidth = 4, KeepTop = 2, MaxIterations = 2 });

        await providers.Gate.WaitForStartAsync(BeamGateKeys.Critique(1, W(0), H(0)));
        var child = await recorder.WaitForAsync<CandidateScoredEvent>(e => e.Candidate.Id == "c1-0.1");
        await recorder.WaitForAsync<CandidateScoredEvent>(e => e.Candidate.Id == "c1-0.0");

        // The straggler is still held, so iteration 0 is not ranked, yet c0-0's children are already scored.
        Assert.False(providers.Gate.HasStarted(BeamGateKeys.Alignment(Combined(3))));
        Assert.DoesNotContain(recorder.Items, e => e is IterationCompletedEvent);
        Assert.Equal("c0-0", child.Candidate.ParentId);
        Assert.Equal(1, child.Iteration);

        // c0-1 is not certain: the straggler could still beat it.
        Assert.False(providers.Gate.HasStarted(BeamGateKeys.Critique(1, W(1), H(1))));

        providers.Gate.Release(heldImage);
        var events = await recorder.ToEndAsync();
        Assert.Equal(["c0-0", "c0-1"], events.Completed(0).Survivors.Select(c => c.Id));
        Assert.Equal(["c1-0.0", "c1-0.1", "c1-1.0", "c1-1.1"], events.Scored(1).Select(c => c.Id));
        var completedAt = events.ToList().IndexOf(events.Completed(0));
        Assert.True(completedAt > events.ToList().FindIndex(e => e is CandidateScoredEvent { Candidate.Id: "c1-0.0" }));
    }

    [Fact]
    public async Task StrictBarrier_StartsNoCritique_BeforeTheStragglerFinishes()
    {
        var (providers, heldImage) = StragglerSetup();
        var options = new BeamSearchOptions { BeamWidth = 4, KeepTop = 2, MaxIterations = 2, PromoteCertainSurvivors = false };
        var recorder = Start(providers, options);

        await recorder.WaitForAsync<CandidateScoredEvent>(e => e.Candidate.Id == "c0-2");
        await recorder.WaitForAsync<CandidateScoredEvent>(e => e.Candidate.Id == "c0-1");
        await recorder.WaitForAsync<CandidateScoredEvent>(e => e.Candidate.Id == "c0-0");
        await providers.Gate.WaitForStartAsync(heldImage);
        Assert.DoesNotContain(providers.Gate.Started, key => key.StartsWith("critique:", StringComparison.Ordinal));

        providers.Gate.Release(heldImage);
        var events = await recorder.ToEndAsync();
        var completed = events.ToList().IndexOf(events.Completed(0));
        Assert.All(events.Take(completed), e => Assert.Equal(0, e.Iteration));
    }

    [Fact]
    public async Task UncertainCandidate_DoesNotStart_WhileAsManyLanesRunAsAreKept()
    {
        // Two lanes held with M = 2: even the best scored candidate could still be pushed out.
        var held = new[] { BeamGateKeys.Image(Combined(2)), BeamGateKeys.Image(Combined(3)) };
        var providers = new GatedBeamProviders(autoRelease: key => !held.Contains(key));
        providers.Scorer.SetScores(Combined(0), 0.9, 0.9);
        var recorder = Start(providers, new BeamSearchOptions { BeamWidth = 4, KeepTop = 2, MaxIterations = 2 });

        await recorder.WaitForAsync<CandidateScoredEvent>(e => e.Candidate.Id == "c0-0");
        await recorder.WaitForAsync<CandidateScoredEvent>(e => e.Candidate.Id == "c0-1");
        await providers.Gate.WaitForStartAsync(held[0]);
        await providers.Gate.WaitForStartAsync(held[1]);
        Assert.DoesNotContain(providers.Gate.Started, key => key.StartsWith("critique:", StringComparison.Ordinal));

        // One straggler done: now c0-0 is certain.
        providers.Gate.Release(held[0]);
        await providers.Gate.WaitForStartAsync(BeamGateKeys.Critique(1, W(0), H(0)));
        Assert.False(providers.Gate.HasStarted(BeamGateKeys.Alignment(Combined(3))));

        providers.Gate.Release(held[1]);
        await recorder.ToEndAsync();
    }

    [Fact]
    public async Task ChildrenThatDependOnRank_WaitForTheRanking()
    {
        // N 5, M 2: every survivor gets 5 / 2 = 2 children for sure; the fifth goes to the best-ranked, known at ranking.
        var heldImage = BeamGateKeys.Image(Combined(4));
        var providers = new GatedBeamProviders(autoRelease: key => key != heldImage);
        providers.Scorer.SetScores(Combined(0), 0.9, 0.9);
        providers.Scorer.SetScores(Combined(1), 0.8, 0.8);
        providers.Scorer.SetScores(Combined(2), 0.1, 0.1);
        providers.Scorer.SetScores(Combined(3), 0.1, 0.1);
        providers.Scorer.SetScores(Combined(4), 0.1, 0.1);
        var recorder = Start(providers, new BeamSearchOptions { BeamWidth = 5, KeepTop = 2, MaxIterations = 2 });

        await recorder.WaitForAsync<CandidateScoredEvent>(e => e.Candidate.Id == "c1-0.0");
        await recorder.WaitForAsync<CandidateScoredEvent>(e => e.Candidate.Id == "c1-0.1");
        Assert.False(providers.Gate.HasStarted(BeamGateKeys.Refine(1, W(0), H(0), 2)));

        providers.Gate.Release(heldImage);
        var events = await recorder.ToEndAsync();
        Assert.Equal(["c1-0.0", "c1-0.1", "c1-0.2", "c1-1.0", "c1-1.1"], events.Scored(1).Select(c => c.Id));

        // The critique was made once, before the ranking, and shared with the child started after it.
        Assert.Single(providers.Gate.Started, key => key == BeamGateKeys.Critique(1, W(0), H(0)));
    }

    public static TheoryData<string, BeamSearchOptions> StopRulesThatCouldFire => new()
    {
        { "last iteration", new() { BeamWidth = 4, KeepTop = 2, MaxIterations = 1 } },
        { "target score", new() { BeamWidth = 4, KeepTop = 2, MaxIterations = 2, TargetScore = 0.95 } },
        { "cost budget", new() { BeamWidth = 4, KeepTop = 2, MaxIterations = 2, MaxCost = 1_000m } },
        { "image budget", new() { BeamWidth = 4, KeepTop = 2, MaxIterations = 2, MaxImages = 7 } },
        { "failure ratio", new() { BeamWidth = 4, KeepTop = 2, MaxIterations = 2, MaxFailureRatio = 0.2 } },
        { "convergence", new() { BeamWidth = 4, KeepTop = 2, MaxIterations = 2, ConvergenceEpsilon = 0.01, ConvergencePatience = 1 } },
    };

    [Theory]
    [MemberData(nameof(StopRulesThatCouldFire))]
    public async Task NothingStartsEarly_WhenTheRankingCouldStillEndTheSearch(string rule, BeamSearchOptions options)
    {
        // The control row: convergence cannot stop the search at its first ranking (there is no earlier best to
        // compare with), so there the certain survivor does start early.
        var (providers, heldImage) = StragglerSetup();
        var recorder = Start(providers, options);
        await recorder.WaitForAsync<CandidateScoredEvent>(e => e.Candidate.Id == "c0-2");
        await recorder.WaitForAsync<CandidateScoredEvent>(e => e.Candidate.Id == "c0-1");
        await recorder.WaitForAsync<CandidateScoredEvent>(e => e.Candidate.Id == "c0-0");
        await providers.Gate.WaitForStartAsync(heldImage);

        if (rule == "convergence")
        {
            await providers.Gate.WaitForStartAsync(BeamGateKeys.Critique(1, W(0), H(0)));
        }
        else
        {
            // Nothing happens without the straggler; a promotion would have started synchronously with c0-x's outcome,
            // so give the driver every chance to act before checking.
            await WaitUntilDriverIdleAsync(providers);
            Assert.DoesNotContain(providers.Gate.Started, key => key.StartsWith("critique:", StringComparison.Ordinal));
        }

        providers.Gate.Release(heldImage);
        await recorder.ToEndAsync();
    }

    /// <summary>Lets the search's continuations run: a few thread-pool round trips with the only provider call held.</summary>
    private static async Task WaitUntilDriverIdleAsync(GatedBeamProviders providers)
    {
        for (var i = 0; i < 20; i++)
        {
            await Task.Yield();
            await Task.Run(() => { });
        }

        Assert.Equal(1, providers.Gate.InFlight);
    }
}
