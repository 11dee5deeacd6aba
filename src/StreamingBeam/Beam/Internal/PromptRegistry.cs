namespace StreamingBeam.Beam.Internal;

/// <summary>The prompts a search's candidates have claimed for rendering: each WHAT and HOW pair, and each combined
/// prompt, belongs to the first candidate that claimed it, so that no image is paid for twice. Thread-safe (one lock).</summary>
/// <remarks>
/// <para>
/// A lane claims its pair the moment its prompts are written, and its combined prompt the moment it is combined; it
/// never waits for another lane (the streaming contract). A claim is never given back, not even by a lane that fails
/// later: its image may have been paid for.
/// </para>
/// <para>
/// Who asks again is the lane that claims second. A lane's parent and every candidate of earlier iterations have always
/// claimed first, whatever the timing; two lanes of one iteration that write the same prompts are told apart by which
/// finished writing first, so in that case (rare with a model at temperature, never with the simulated one's siblings)
/// the outcome can differ between runs.
/// </para>
/// </remarks>
internal sealed class PromptRegistry
{
    private readonly object _lock = new();
    private readonly Dictionary<(string What, string How), string> _pairs = [];
    private readonly Dictionary<string, string> _combined = new(StringComparer.Ordinal);

    /// <summary>Claims a pair for <paramref name="candidateId"/>, or returns the id of the candidate that has it.</summary>
    public string? TryClaimPair(string what, string how, string candidateId)
    {
        lock (_lock)
        {
            return _pairs.TryAdd((what, how), candidateId) ? null : _pairs[(what, how)];
        }
    }

    /// <summary>Claims a combined prompt for <paramref name="candidateId"/>, or returns the id of the candidate that has it.</summary>
    public string? TryClaimCombined(string combined, string candidateId)
    {
        lock (_lock)
        {
            return _combined.TryAdd(combined, candidateId) ? null : _combined[combined];
        }
    }

    /// <summary>Records candidates rendered before this run started (a resumed search's), so none is rendered again.</summary>
    public void AddRendered(IEnumerable<BeamCandidate> candidates)
    {
        lock (_lock)
        {
            foreach (var candidate in candidates)
            {
                _pairs.TryAdd((candidate.What, candidate.How), candidate.Id);
                _combined.TryAdd(candidate.CombinedPrompt, candidate.Id);
            }
        }
    }
}
