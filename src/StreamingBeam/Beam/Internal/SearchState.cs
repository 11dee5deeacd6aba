namespace StreamingBeam.Beam.Internal;

/// <summary>What a search knows between rankings: the survivors, the best candidate ever scored, and the committed
/// totals the stop rules and checkpoints read.</summary>
/// <remarks>Owned by the driver alone, so it needs no lock. Lanes never see it: they hand their outcomes to the driver,
/// and what they spend goes to the <see cref="RunLedger"/>, which the driver commits here at each ranking.</remarks>
internal sealed partial class SearchState
{
    /// <summary>Gets the survivors of the last ranking, best first: the parents of the next iteration.</summary>
    public List<BeamCandidate> Parents { get; private set; } = [];

    /// <summary>Gets the best candidate ever scored (the search's result), or <see langword="null"/> while none was.</summary>
    public BeamCandidate? Best { get; private set; }

    /// <summary>Gets how many iterations have been ranked.</summary>
    public int Completed { get; private set; }

    /// <summary>Gets the best total recorded after each ranking, for convergence.</summary>
    public List<double> BestTotals { get; } = [];

    /// <summary>Gets the images rendered by the ranked iterations.</summary>
    public int ImagesThrough { get; private set; }

    /// <summary>Gets what the ranked iterations spent.</summary>
    public ProviderUsage UsageThrough { get; private set; }

    /// <summary>Gets what the last ranked iteration cost.</summary>
    public decimal LastIterationCost { get; private set; }

    /// <summary>Gets the candidates scored in the ranked iterations.</summary>
    public int ScoredThrough { get; private set; }

    /// <summary>Gets the candidates failed in the ranked iterations.</summary>
    public int FailedThrough { get; private set; }

    /// <summary>Keeps <paramref name="candidate"/> as the best if it beats the best so far.</summary>
    public void Offer(BeamCandidate candidate)
    {
        if (BeamRanking.IsBetter(candidate, Best))
        {
            Best = candidate;
        }
    }

    /// <summary>A new list of what an iteration's ranking chooses from: its scored candidates so far, and its parents
    /// when they compete (<see cref="RankingPool.ChildrenAndParents"/>). The barrier and promotion both use it.</summary>
    public List<BeamCandidate> RankingPoolOf(IterationRun iteration, BeamSearchOptions options)
    {
        var pooled = ParentsCompete(iteration, options);
        var pool = new List<BeamCandidate>(iteration.Scored.Count + (pooled ? Parents.Count : 0));
        pool.AddRange(iteration.Scored);
        if (pooled)
        {
            pool.AddRange(Parents);
        }

        return pool;
    }

    /// <summary>The ranking: keeps the top M of the pool as the next parents and commits the iteration's totals.</summary>
    public void CommitRanking(IterationRun iteration, IterationSpend spend, BeamSearchOptions options)
    {
        Parents = BeamRanking.SelectSurvivors(RankingPoolOf(iteration, options), options.KeepTop);
        Completed++;
        ImagesThrough += spend.Images;
        UsageThrough += spend.Usage;
        LastIterationCost = spend.Usage.Cost;
        ScoredThrough += iteration.Scored.Count;
        FailedThrough += iteration.Failed;
    }

    /// <summary>The exact facts of the ranking just committed (or restored from a checkpoint).</summary>
    public RankingFacts FactsAtRanking(int iteration, int failed) => new()
    {
        Iteration = iteration,
        Running = 0,
        Failed = failed,
        Rankable = Parents.Count,
        BestTotal = Best?.Total,
        EarlierBestTotals = BestTotals,
        Images = ImagesThrough,
        Cost = UsageThrough.Cost,
        IterationCost = LastIterationCost,
    };

    /// <summary>What is known of an iteration's ranking while <paramref name="running"/> of its lanes still run.</summary>
    public RankingFacts FactsWhileRunning(IterationRun iteration, int running, IterationSpend spend, BeamSearchOptions options) => new()
    {
        Iteration = iteration.Number,
        Running = running,
        Failed = iteration.Failed,
        Rankable = iteration.Scored.Count + (ParentsCompete(iteration, options) ? Parents.Count : 0),
        BestTotal = Best?.Total,
        EarlierBestTotals = BestTotals,
        Images = ImagesThrough + spend.Images,
        Cost = UsageThrough.Cost + spend.Usage.Cost,
        IterationCost = spend.Usage.Cost,
    };

    /// <summary>Whether an iteration's parents compete with its children for survival (never in iteration 0, which has none).</summary>
    private static bool ParentsCompete(IterationRun iteration, BeamSearchOptions options) =>
        iteration.Number > 0 && options.RankingPool == RankingPool.ChildrenAndParents;

    /// <summary>Records the best total of ranking <paramref name="iteration"/> once, whether the ranking ran now or
    /// before a resume (a checkpoint is saved before its ranking's total is recorded).</summary>
    public void RecordBestTotal(int iteration)
    {
        if (Best is { } best && BestTotals.Count == iteration)
        {
            BestTotals.Add(best.Total);
        }
    }
}
