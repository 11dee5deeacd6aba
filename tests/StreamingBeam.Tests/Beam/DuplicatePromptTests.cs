using System.Collections.Concurrent;
using StreamingBeam.Testing;
using static StreamingBeam.Tests.Beam.BeamTestKit;

namespace StreamingBeam.Tests.Beam;

/// <summary>No two candidates of a search with the same prompts (or the same combined prompt) are both rendered (#17): a
/// repeat asks again, and one that keeps repeating gives up its slot. Gated fakes decide who repeats whom.</summary>
public class DuplicatePromptTests
{
    private static readonly string Parent = Combined(0);

    [Fact]
    public async Task ARefinementThatRepeatsItsParent_AsksAgainWithWhatToAvoid_AndRendersTheNewPrompt()
    {
        var providers = ParentWins();
        providers.Llm.Override(BeamGateKeys.Refine(1, W(0), H(0), 0), W(0));
        var llm = new RecordingLlm(providers.Llm);
        var options = new BeamSearchOptions { BeamWidth = 1, KeepTop = 1, MaxIterations = 2 };

        var events = await Record(providers, llm, options).ToEndAsync();

        var child = Assert.Single(events.Scored(iteration: 1));
        Assert.Equal(BeamGateKeys.RefinedText(W(0), 1, 0) + "#1", child.What);
        var retry = Assert.Single(llm.Refines, r => r.Attempt == 1);
        Assert.Equal([W(0)], retry.Avoid);
        Assert.Equal(2, llm.Refines.Count);
        AssertEveryPromptRenderedOnce(providers, expectedImages: 2);
        Assert.Equal(1, events.Completed(1).DuplicatesAvoided);
        Assert.Equal(1, Assert.IsType<SearchCompletedEvent>(events[^1]).Result.DuplicatesAvoided);
    }

    [Fact]
    public async Task ARefinementThatKeepsRepeating_GivesUpItsSlot_WithoutFailingOrPaying()
    {
        var providers = ParentWins();
        providers.Llm.Override(BeamGateKeys.Refine(1, W(0), H(0), 0), W(0));
        providers.Llm.Override(BeamGateKeys.Refine(1, W(0), H(0), 0) + "#1", W(0));
        providers.Llm.Override(BeamGateKeys.Refine(1, W(0), H(0), 0) + "#2", W(0));
        var llm = new RecordingLlm(providers.Llm);
        var options = new BeamSearchOptions { BeamWidth = 1, KeepTop = 1, MaxIterations = 2, MaxDuplicateRetries = 2 };

        var events = await Record(providers, llm, options).ToEndAsync();

        var skipped = Assert.Single(events.OfType<CandidateSkippedEvent>());
        Assert.Equal(("c1-0.0", "c0-0", "c0-0"), (skipped.CandidateId, skipped.ParentId, skipped.DuplicateOf));
        Assert.Empty(events.OfType<CandidateFailedEvent>());
        Assert.Equal([0, 1, 2], llm.Refines.Select(r => r.Attempt));
        AssertEveryPromptRenderedOnce(providers, expectedImages: 1);

        // The empty slot is neither scored nor failed: the ranking keeps the parent, and the search goes on.
        var ranking = events.Completed(1);
        Assert.Equal((0, 0, 3), (ranking.Scored, ranking.Failed, ranking.DuplicatesAvoided));
        var result = Assert.IsType<SearchCompletedEvent>(events[^1]).Result;
        Assert.Equal(BeamStopReason.MaxIterationsReached, result.StopReason);
        Assert.Equal("c0-0", result.Best.Id);
    }

    [Fact]
    public async Task TwoSiblingsWithTheSamePrompts_TheFirstToClaimRenders_TheOtherAsksAgain()
    {
        var held = BeamGateKeys.Refine(1, W(0), H(0), 1);
        var providers = ParentWins(autoRelease: key => key != held);
        providers.Llm.Override(BeamGateKeys.Refine(1, W(0), H(0), 0), "same");
        providers.Llm.Override(held, "same");
        var llm = new RecordingLlm(providers.Llm);
        var options = new BeamSearchOptions { BeamWidth = 2, KeepTop = 1, MaxIterations = 2 };
        var recorder = Record(providers, llm, options);

        // Child 0 claims "same" and is rendering before child 1's refinement answers; it never waits for child 1.
        await providers.Gate.WaitForStartAsync(BeamGateKeys.Image(BeamGateKeys.CombinedText("same", H(0))));
        providers.Gate.Release(held);
        var events = await recorder.ToEndAsync();

        var children = events.Scored(iteration: 1);
        Assert.Equal(["same", BeamGateKeys.RefinedText(W(0), 1, 1) + "#1"], children.Select(c => c.What));
        AssertEveryPromptRenderedOnce(providers, expectedImages: 4);
        Assert.Equal(1, events.Completed(1).DuplicatesAvoided);
    }

    [Fact]
    public async Task DifferentPromptsThatCombineIntoARenderedOne_AreNotRenderedAgain()
    {
        var held = BeamGateKeys.Combine(W(1), H(1));
        var providers = ParentWins(autoRelease: key => key != held);
        providers.Llm.Override(held, Combined(0));
        var options = new BeamSearchOptions { BeamWidth = 2, KeepTop = 1, MaxIterations = 1 };
        var recorder = Record(providers, providers.Llm, options);

        await providers.Gate.WaitForStartAsync(BeamGateKeys.Image(Combined(0)));
        providers.Gate.Release(held);
        var events = await recorder.ToEndAsync();

        var skipped = Assert.Single(events.OfType<CandidateSkippedEvent>());
        Assert.Equal(("c0-1", "c0-0"), (skipped.CandidateId, skipped.DuplicateOf));
        AssertEveryPromptRenderedOnce(providers, expectedImages: 1);
        Assert.Equal(1, Assert.IsType<SearchCompletedEvent>(events[^1]).Result.DuplicatesAvoided);
    }

    [Fact]
    public void MaxDuplicateRetries_OutOfRange_IsNamedInTheError()
    {
        var errors = new BeamSearchOptions { MaxDuplicateRetries = 11 }.GetValidationErrors();

        Assert.Contains("BeamSearchOptions.MaxDuplicateRetries must be between 0 and 10; it was 11.", errors);
    }

    /// <summary>Gated providers whose first candidate, c0-0 (W0, H0), outscores the others.</summary>
    private static GatedBeamProviders ParentWins(Func<string, bool>? autoRelease = null)
    {
        var providers = new GatedBeamProviders(autoRelease ?? (_ => true));
        providers.Scorer.SetScores(Parent, 0.9, 0.9);
        return providers;
    }

    private static Support.StreamRecorder<BeamEvent> Record(GatedBeamProviders providers, ILlmClient llm, BeamSearchOptions options) =>
        Support.StreamRecorder<BeamEvent>.Start(
            new BeamSearchEngine(llm, providers.Images, providers.Scorer).SearchStreamingAsync(Prompt, options), CancellationToken.None);

    private static void AssertEveryPromptRenderedOnce(GatedBeamProviders providers, int expectedImages)
    {
        var images = providers.Gate.Started.Where(k => k.StartsWith("image:", StringComparison.Ordinal)).ToArray();
        Assert.Equal(expectedImages, images.Length);
        Assert.Equal(images.Length, images.Distinct(StringComparer.Ordinal).Count());
    }

    private sealed class RecordingLlm(ILlmClient inner) : DelegatingLlmClient(inner)
    {
        private readonly ConcurrentQueue<RefineRequest> _refines = new();

        public IReadOnlyList<RefineRequest> Refines => [.. _refines.OrderBy(r => r.VariantIndex).ThenBy(r => r.Attempt)];

        public override Task<LlmResponse> RefineAsync(RefineRequest request, CancellationToken cancellationToken = default)
        {
            _refines.Enqueue(request);
            return base.RefineAsync(request, cancellationToken);
        }
    }
}
