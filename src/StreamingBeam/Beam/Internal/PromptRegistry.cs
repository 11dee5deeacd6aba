namespace StreamingBeam.Beam.Internal;

/// <summary>The candidates a lane's WHAT and HOW are checked against before anything is rendered, chosen so that the
/// answer is the same whether survivors are promoted or not, and needs no waiting: the lane's parent, and every candidate
/// of iterations up to two before the lane's own (all of them scored or failed before any lane of its iteration starts,
/// in either mode).</summary>
/// <remarks>
/// Lanes of the same iteration (siblings, cousins) are not checked against each other: which of two would ask again
/// would depend on which answered first, so the outcome would differ between runs, and waiting for the other's answer
/// would hold a lane back from combining on its own inputs (the streaming contract). A refinement repeating its parent
/// (the common case with real models) and a repeat of an older candidate are caught. Thread-safe.
/// </remarks>
internal sealed class PromptRegistry
{
    private readonly object _lock = new();
    private readonly Dictionary<(string What, string How), (string Id, int Iteration)> _ranked = [];

    /// <summary>Records the candidates of a ranked iteration (or of a checkpoint a search resumed from).</summary>
    public void AddRanked(IEnumerable<BeamCandidate> candidates)
    {
        lock (_lock)
        {
            foreach (var candidate in candidates)
            {
                _ranked.TryAdd((candidate.What, candidate.How), (candidate.Id, candidate.Iteration));
            }
        }
    }

    /// <summary>Finds the ranked candidate of iteration <paramref name="iteration"/> - 2 or earlier with these prompts.</summary>
    public string? RankedOwner(string what, string how, int iteration)
    {
        lock (_lock)
        {
            return _ranked.TryGetValue((what, how), out var owner) && owner.Iteration <= iteration - 2 ? owner.Id : null;
        }
    }
}
