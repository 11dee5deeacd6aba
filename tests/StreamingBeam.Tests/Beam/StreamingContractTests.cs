using StreamingBeam.Testing;
using static StreamingBeam.Tests.Beam.BeamTestKit;

namespace StreamingBeam.Tests.Beam;

/// <summary>Each row of the spec's streaming contract, proven with gates: a lane waits for its own inputs only.</summary>
public class StreamingContractTests
{
    [Fact]
    public async Task Combine_StartsWhenItsOwnExpansionsAreDone_NotAllPairs()
    {
        var held = BeamGateKeys.Expand(PromptDimension.How, 0);
        var providers = new GatedBeamProviders(autoRelease: key => key != held);
        var recorder = Start(providers, new BeamSearchOptions { BeamWidth = 3, KeepTop = 1, MaxIterations = 1 });

        // Candidates 1 and 2 go all the way to scored while candidate 0 still waits for its HOW.
        await recorder.WaitForAsync<CandidateScoredEvent>(e => e.Candidate.Id == "c0-1");
        await recorder.WaitForAsync<CandidateScoredEvent>(e => e.Candidate.Id == "c0-2");

        Assert.True(providers.Gate.HasStarted(BeamGateKeys.Expand(PromptDimension.What, 0)));
        Assert.False(providers.Gate.HasStarted(BeamGateKeys.Combine(W(0), H(0))));
        Assert.DoesNotContain(recorder.Items, e => e is IterationCompletedEvent);

        providers.Gate.Release(held);
        var events = await recorder.ToEndAsync();
        Assert.Equal(3, events.Scored(0).Count);
        Assert.IsType<SearchCompletedEvent>(events[^1]);
    }

    [Fact]
    public async Task Image_StartsWhenItsOwnCombineIsDone()
    {
        var held = BeamGateKeys.Combine(W(0), H(0));
        var providers = new GatedBeamProviders(autoRelease: key => key != held);
        var recorder = Start(providers, new BeamSearchOptions { BeamWidth = 2, KeepTop = 1, MaxIterations = 1 });

        await recorder.WaitForAsync<ImageGeneratedEvent>(e => e.CandidateId == "c0-1");
        await recorder.WaitForAsync<CandidateScoredEvent>(e => e.Candidate.Id == "c0-1");
        Assert.False(providers.Gate.HasStarted(BeamGateKeys.Image(Combined(0))));

        providers.Gate.Release(held);
        await recorder.ToEndAsync();
    }

    [Fact]
    public async Task Scores_StartWhenTheirOwnImageIsDone_AndRunConcurrently()
    {
        var heldImage = BeamGateKeys.Image(Combined(0));
        var heldAlignment = BeamGateKeys.Alignment(Combined(1));
        var providers = new GatedBeamProviders(autoRelease: key => key != heldImage && key != heldAlignment);
        var recorder = Start(providers, new BeamSearchOptions { BeamWidth = 2, KeepTop = 1, MaxIterations = 1 });

        // Candidate 1's aesthetic score finishes while its alignment score is still running: they run side by side.
        await providers.Gate.WaitForStartAsync(heldAlignment);
        await providers.Gate.WaitForEndAsync(BeamGateKeys.Aesthetic(Combined(1)));
        Assert.Equal(2, providers.Gate.InFlight);

        // The image is delivered before it is scored, so a UI can show it at once.
        var image = await recorder.WaitForAsync<ImageGeneratedEvent>(e => e.CandidateId == "c0-1");
        Assert.Equal(Combined(1), image.CombinedPrompt);
        Assert.DoesNotContain(recorder.Items, e => e is CandidateScoredEvent);
        Assert.False(providers.Gate.HasStarted(BeamGateKeys.Alignment(Combined(0))));

        providers.Gate.Release(heldImage, heldAlignment);
        var events = await recorder.ToEndAsync();
        Assert.Equal(2, events.Scored().Count);
    }

    [Fact]
    public async Task Refine_StartsWhenItsOwnParentsCritiqueIsDone_NotAllCritiques()
    {
        var heldCritique = BeamGateKeys.Critique(1, W(0), H(0));
        var providers = new GatedBeamProviders(autoRelease: key => key != heldCritique);
        providers.Scorer.SetScores(Combined(0), 0.9, 0.9);
        providers.Scorer.SetScores(Combined(1), 0.8, 0.8);
        var recorder = Start(providers, new BeamSearchOptions { BeamWidth = 4, KeepTop = 2, MaxIterations = 2 });

        // Parent c0-1's two children are refined, rendered and scored while parent c0-0's critique is held.
        var child = await recorder.WaitForAsync<CandidateScoredEvent>(e => e.Candidate.Id == "c1-1.0");
        await recorder.WaitForAsync<CandidateScoredEvent>(e => e.Candidate.Id == "c1-1.1");
        Assert.Equal("c0-1", child.Candidate.ParentId);
        Assert.False(providers.Gate.HasStarted(BeamGateKeys.Refine(1, W(0), H(0), 0)));
        Assert.False(providers.Gate.HasStarted(BeamGateKeys.Refine(1, W(0), H(0), 1)));

        providers.Gate.Release(heldCritique);
        var events = await recorder.ToEndAsync();
        Assert.Equal(4, events.Scored(1).Count);
    }

    [Fact]
    public async Task Critiques_StartOnlyAfterTheRankingBarrier()
    {
        var heldImage = BeamGateKeys.Image(Combined(2));
        var providers = new GatedBeamProviders(autoRelease: key => key != heldImage);
        providers.Scorer.SetScores(Combined(0), 0.9, 0.9);
        var recorder = Start(providers, new BeamSearchOptions { BeamWidth = 3, KeepTop = 1, MaxIterations = 2 });

        await recorder.WaitForAsync<CandidateScoredEvent>(e => e.Candidate.Id == "c0-0");
        await recorder.WaitForAsync<CandidateScoredEvent>(e => e.Candidate.Id == "c0-1");
        Assert.DoesNotContain(providers.Gate.Started, key => key.StartsWith("critique:", StringComparison.Ordinal));

        providers.Gate.Release(heldImage);
        var events = await recorder.ToEndAsync();
        var completed = events.Completed(0);
        var firstChild = events.OfType<ImageGeneratedEvent>().First(e => e.Iteration == 1);
        Assert.True(IndexOf(events, completed) < IndexOf(events, firstChild));
    }

    [Fact]
    public async Task IterationCompleted_FollowsEveryEventOfItsIteration_AndPrecedesTheNext()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        var events = await Start(providers, new BeamSearchOptions { BeamWidth = 6, KeepTop = 2, MaxIterations = 3 }).ToEndAsync();

        Assert.IsType<SearchStartedEvent>(events[0]);
        Assert.IsType<SearchCompletedEvent>(events[^1]);
        for (var iteration = 0; iteration < 3; iteration++)
        {
            var boundary = IndexOf(events, events.Completed(iteration));
            Assert.All(events.Take(boundary), e => Assert.True(e.Iteration <= iteration));
            Assert.All(events.Skip(boundary + 1).Where(e => e is not SearchCompletedEvent), e => Assert.True(e.Iteration > iteration));
        }

        foreach (var scored in events.OfType<CandidateScoredEvent>())
        {
            var image = events.OfType<ImageGeneratedEvent>().Single(e => e.CandidateId == scored.Candidate.Id);
            Assert.True(IndexOf(events, image) < IndexOf(events, scored));
        }
    }

    private static int IndexOf(IReadOnlyList<BeamEvent> events, BeamEvent e)
    {
        for (var i = 0; i < events.Count; i++)
        {
            if (ReferenceEquals(events[i], e))
            {
                return i;
            }
        }

        return -1;
    }
}
