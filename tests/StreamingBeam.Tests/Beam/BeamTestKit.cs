using StreamingBeam.Beam.Internal;
using StreamingBeam.Testing;
using StreamingBeam.Tests.Support;

namespace StreamingBeam.Tests.Beam;

/// <summary>Shorthands shared by the beam-search tests.</summary>
internal static class BeamTestKit
{
    public const string Prompt = "a lighthouse at dusk";

    public static string W(int i) => BeamGateKeys.ExpandedText(PromptDimension.What, i);

    public static string H(int i) => BeamGateKeys.ExpandedText(PromptDimension.How, i);

    public static string Combined(int i) => BeamGateKeys.CombinedText(W(i), H(i));

    public static BeamSearchEngine Engine(GatedBeamProviders providers, BeamEngineOptions? options = null, TimeProvider? time = null) =>
        new(providers.Llm, providers.Images, providers.Scorer, options, timeProvider: time);

    public static StreamRecorder<BeamEvent> Start(
        GatedBeamProviders providers,
        BeamSearchOptions options,
        CancellationToken cancellationToken = default) =>
        StreamRecorder<BeamEvent>.Start(Engine(providers).SearchStreamingAsync(Prompt, options, cancellationToken), CancellationToken.None);

    public static async Task<SearchCompletedEvent> RunToEndAsync(GatedBeamProviders providers, BeamSearchOptions options)
    {
        var events = await Start(providers, options).ToEndAsync();
        return Assert.IsType<SearchCompletedEvent>(events[^1]);
    }

    public static IReadOnlyList<BeamCandidate> Scored(this IEnumerable<BeamEvent> events, int? iteration = null) =>
        events.OfType<CandidateScoredEvent>()
            .Select(e => e.Candidate)
            .Where(c => iteration is null || c.Iteration == iteration)
            .OrderBy(c => c.Iteration).ThenBy(c => c.Id, Comparer<string>.Create(BeamRanking.CompareLineage))
            .ToArray();

    public static IterationCompletedEvent Completed(this IEnumerable<BeamEvent> events, int iteration) =>
        events.OfType<IterationCompletedEvent>().Single(e => e.Iteration == iteration);

    /// <summary>Polls a condition on engine state that has no event of its own (for example a limiter's queue).
    /// Bounded only to fail instead of hanging; nothing here asserts on time.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, Func<string>? describe = null)
    {
        for (var i = 0; i < 1000; i++)
        {
            if (condition())
            {
                return;
            }

            await Task.Delay(10);
        }

        Assert.Fail("The condition never became true. " + describe?.Invoke());
    }
}
