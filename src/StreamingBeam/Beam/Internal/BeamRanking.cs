namespace StreamingBeam.Beam.Internal;

/// <summary>The pure parts of the beam: ordering candidates and sharing children among parents.</summary>
internal static class BeamRanking
{
    /// <summary>Orders by total, best first; ties go to the older candidate (so a parent survives unless a child beats it),
    /// then to the lower index.</summary>
    public static readonly Comparison<BeamCandidate> BestFirst = static (a, b) =>
    {
        var byTotal = b.Total.CompareTo(a.Total);
        if (byTotal != 0)
        {
            return byTotal;
        }

        var byIteration = a.Iteration.CompareTo(b.Iteration);
        return byIteration != 0 ? byIteration : a.Index.CompareTo(b.Index);
    };

    public static bool IsBetter(BeamCandidate candidate, BeamCandidate? than) =>
        than is null || BestFirst(candidate, than) < 0;

    public static List<BeamCandidate> SelectSurvivors(List<BeamCandidate> pool, int keepTop)
    {
        pool.Sort(BestFirst);
        if (pool.Count > keepTop)
        {
            pool.RemoveRange(keepTop, pool.Count - keepTop);
        }

        return pool;
    }

    /// <summary>Shares <paramref name="beamWidth"/> children among parents in rank order: each gets
    /// <c>beamWidth / parents</c>, and the remainder goes one each to the best-ranked parents.</summary>
    public static int ChildrenOf(int parentRank, int parentCount, int beamWidth)
    {
        var share = beamWidth / parentCount;
        return parentRank < beamWidth % parentCount ? share + 1 : share;
    }

    public static double Total(double alpha, double alignment, double aesthetic) =>
        (alpha * alignment) + ((1 - alpha) * aesthetic);
}
