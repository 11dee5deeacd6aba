using System.Collections.Concurrent;

namespace StreamingBeam.Benchmarks.Beam;

/// <summary>Records, for each strategy and scenario, whether every run ended with the expected best candidate.</summary>
internal static class BestCandidateCheck
{
    private static readonly ConcurrentDictionary<string, (int Runs, int Matches)> Results = new(StringComparer.Ordinal);

    public static bool SamePrompts(BeamCandidate a, BeamCandidate b) =>
        a.Id == b.Id && a.What == b.What && a.How == b.How && a.CombinedPrompt == b.CombinedPrompt;

    public static void Record(string strategy, int beamWidth, double sigma, bool matches) =>
        Results.AddOrUpdate(Key(strategy, beamWidth, sigma), matches ? (1, 1) : (1, 0), (_, r) => (r.Runs + 1, r.Matches + (matches ? 1 : 0)));

    public static (int Runs, int Matches) Get(string strategy, int beamWidth, double sigma) =>
        Results.TryGetValue(Key(strategy, beamWidth, sigma), out var r) ? r : (0, 0);

    private static string Key(string strategy, int beamWidth, double sigma) =>
        FormattableString.Invariant($"{strategy}|{beamWidth}|{sigma}");
}
