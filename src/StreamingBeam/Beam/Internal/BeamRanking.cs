using System.Globalization;

namespace StreamingBeam.Beam.Internal;

/// <summary>The pure parts of the beam: ordering candidates and sharing children among parents.</summary>
internal static class BeamRanking
{
    /// <summary>Orders by total, best first; ties go to the older candidate (so a parent survives unless a child beats it),
    /// then to the lower lineage (the variant indexes in the id, compared in order).</summary>
    /// <remarks>A total order over the candidates of a search (ids are unique), so sorting is deterministic and does not
    /// depend on the order candidates finished in.</remarks>
    public static readonly Comparison<BeamCandidate> BestFirst = static (a, b) =>
    {
        var byTotal = b.Total.CompareTo(a.Total);
        if (byTotal != 0)
        {
            return byTotal;
        }

        var byIteration = a.Iteration.CompareTo(b.Iteration);
        return byIteration != 0 ? byIteration : CompareLineage(a.Id, b.Id);
    };

    public static readonly IComparer<BeamCandidate> BestFirstComparer = Comparer<BeamCandidate>.Create(BestFirst);

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

    /// <summary>Inserts a candidate into a best-first list that holds at most <paramref name="keepTop"/> candidates.</summary>
    public static void InsertRanked(List<BeamCandidate> ranked, BeamCandidate candidate, int keepTop)
    {
        var at = ranked.BinarySearch(candidate, BestFirstComparer);
        at = at < 0 ? ~at : at;
        if (at >= keepTop)
        {
            return;
        }

        ranked.Insert(at, candidate);
        if (ranked.Count > keepTop)
        {
            ranked.RemoveAt(keepTop);
        }
    }

    /// <summary>Shares <paramref name="beamWidth"/> children among parents in rank order: each gets
    /// <c>beamWidth / parents</c>, and the remainder goes one each to the best-ranked parents.</summary>
    public static int ChildrenOf(int parentRank, int parentCount, int beamWidth)
    {
        var share = beamWidth / parentCount;
        return parentRank < beamWidth % parentCount ? share + 1 : share;
    }

    /// <summary>The children every survivor gets whatever the final ranks: <c>beamWidth / keepTop</c>, since there are
    /// never more than <paramref name="keepTop"/> parents.</summary>
    public static int CertainChildren(int keepTop, int beamWidth) => beamWidth / keepTop;

    public static double Total(double alpha, double alignment, double aesthetic) =>
        (alpha * alignment) + ((1 - alpha) * aesthetic);

    /// <summary>Compares two ids of the form <c>c{iteration}-{a}.{b}…</c> by their lineage numbers, in order; a lineage
    /// comes before its own extensions. Ids of another form fall back to ordinal order.</summary>
    internal static int CompareLineage(string a, string b)
    {
        var x = Lineage(a);
        var y = Lineage(b);
        while (!x.IsEmpty && !y.IsEmpty)
        {
            if (!TryTakeNumber(ref x, out var xn) || !TryTakeNumber(ref y, out var yn))
            {
                return string.CompareOrdinal(a, b);
            }

            if (xn != yn)
            {
                return xn.CompareTo(yn);
            }
        }

        var byLength = x.Length.CompareTo(y.Length);
        return byLength != 0 ? byLength : string.CompareOrdinal(a, b);
    }

    private static ReadOnlySpan<char> Lineage(string id)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        return dash < 0 ? id.AsSpan() : id.AsSpan(dash + 1);
    }

    private static bool TryTakeNumber(ref ReadOnlySpan<char> lineage, out int number)
    {
        var dot = lineage.IndexOf('.');
        var part = dot < 0 ? lineage : lineage[..dot];
        lineage = dot < 0 ? default : lineage[(dot + 1)..];
        return int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }
}
