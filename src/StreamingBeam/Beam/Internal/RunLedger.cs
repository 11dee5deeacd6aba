namespace StreamingBeam.Beam.Internal;

/// <summary>The only state that a search's lanes share: what the search has spent, per iteration and in total, and its
/// first failure. One lock guards all of it.</summary>
/// <remarks>A critique is counted in the iteration of the children it is for, so per-iteration costs (and the cost
/// budget that reads them) are the same with or without survivor promotion.</remarks>
internal sealed class RunLedger
{
    private readonly object _lock = new();
    private readonly Dictionary<int, IterationSpend> _iterations = [];
    private ProviderUsage _total;
    private FirstFailure? _firstFailure;
    private int _duplicates;

    /// <summary>Initializes a new instance of the <see cref="RunLedger"/> class with what was spent before (a resume).</summary>
    public RunLedger(ProviderUsage spentBefore) => _total = spentBefore;

    /// <summary>Gets everything the search has spent.</summary>
    public ProviderUsage Total
    {
        get
        {
            lock (_lock)
            {
                return _total;
            }
        }
    }

    /// <summary>Gets the first candidate failure of the search, if any.</summary>
    public FirstFailure? FirstFailure
    {
        get
        {
            lock (_lock)
            {
                return _firstFailure;
            }
        }
    }

    public void AddUsage(int iteration, ProviderUsage usage)
    {
        lock (_lock)
        {
            _total += usage;
            var spend = _iterations.GetValueOrDefault(iteration);
            _iterations[iteration] = spend with { Usage = spend.Usage + usage };
        }
    }

    /// <summary>Gets how many times a lane's prompts repeated a candidate the search already had.</summary>
    public int Duplicates
    {
        get
        {
            lock (_lock)
            {
                return _duplicates;
            }
        }
    }

    /// <summary>Counts a lane's prompts that repeated another candidate's: an image not paid for twice.</summary>
    public void CountDuplicate(int iteration)
    {
        lock (_lock)
        {
            _duplicates++;
            var spend = _iterations.GetValueOrDefault(iteration);
            _iterations[iteration] = spend with { Duplicates = spend.Duplicates + 1 };
        }
    }

    public void CountImage(int iteration)
    {
        lock (_lock)
        {
            var spend = _iterations.GetValueOrDefault(iteration);
            _iterations[iteration] = spend with { Images = spend.Images + 1 };
        }
    }

    /// <summary>Gets what an iteration's calls have spent so far.</summary>
    public IterationSpend SpendOf(int iteration)
    {
        lock (_lock)
        {
            return _iterations.GetValueOrDefault(iteration);
        }
    }

    public void RecordFailure(string candidateId, BeamStage stage, Exception error)
    {
        lock (_lock)
        {
            _firstFailure ??= new FirstFailure(candidateId, stage, error);
        }
    }
}

/// <summary>What one iteration's calls spent: usage (its parents' critiques included) and images rendered, and how many
/// duplicate prompts its lanes avoided rendering.</summary>
internal readonly record struct IterationSpend(ProviderUsage Usage, int Images, int Duplicates = 0);

/// <summary>The first candidate failure of a search, quoted when nothing was ever scored.</summary>
internal sealed record FirstFailure(string CandidateId, BeamStage Stage, Exception Error);
