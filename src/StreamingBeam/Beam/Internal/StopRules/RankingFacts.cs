namespace StreamingBeam.Beam.Internal;

/// <summary>What is known about one ranking when a stop rule is asked about it: exact once every lane of the iteration
/// has reported (<see cref="Running"/> is 0), bounds while some lanes still run.</summary>
/// <remarks>
/// Stop rules read only the bounds (<see cref="FailedAtMost"/>, <see cref="BestTotalAtLeast"/>, ...). With nothing
/// running, every bound is the exact value, so one definition per rule answers both "does it stop the search now?"
/// (at the barrier) and "might it stop the search at this ranking?" (for survivor promotion).
/// </remarks>
internal readonly record struct RankingFacts
{
    /// <summary>Gets the iteration being ranked.</summary>
    public required int Iteration { get; init; }

    /// <summary>Gets the lanes of the iteration that have not reported yet; 0 at the ranking.</summary>
    public required int Running { get; init; }

    /// <summary>Gets the lanes of the iteration that failed so far.</summary>
    public required int Failed { get; init; }

    /// <summary>Gets how many candidates the ranking pool holds so far (scored children, plus parents when they compete).</summary>
    public required int Rankable { get; init; }

    /// <summary>Gets the best total ever scored so far, or <see langword="null"/> when nothing was.</summary>
    public required double? BestTotal { get; init; }

    /// <summary>Gets the best totals recorded after each earlier ranking, oldest first.</summary>
    public required IReadOnlyList<double> EarlierBestTotals { get; init; }

    /// <summary>Gets the images rendered so far by this iteration and every earlier one.</summary>
    public required int Images { get; init; }

    /// <summary>Gets the cost so far of this iteration and every earlier one.</summary>
    public required decimal Cost { get; init; }

    /// <summary>Gets the cost so far of this iteration alone.</summary>
    public required decimal IterationCost { get; init; }

    /// <summary>Gets the most lanes that can have failed by the ranking.</summary>
    public int FailedAtMost => Failed + Running;

    /// <summary>Gets whether the ranking may have nothing to choose from.</summary>
    public bool MayRankNothing => Rankable == 0;

    /// <summary>Gets the least the best total can be after the ranking (negative infinity when nothing is scored yet).</summary>
    public double BestTotalAtLeast => BestTotal ?? double.NegativeInfinity;

    /// <summary>Gets the most the best total can be after the ranking: a running lane may still score the maximum, 1.</summary>
    public double BestTotalAtMost => Running > 0 ? 1.0 : BestTotalAtLeast;

    /// <summary>Gets the most images that can have been rendered by the ranking (a running lane renders at most one).</summary>
    public int ImagesAtMost => Images + Running;

    /// <summary>Gets the most the search can have cost by the ranking, or <see langword="null"/> when that has no bound
    /// yet (a running lane's calls can cost anything).</summary>
    public decimal? CostAtMost => Running > 0 ? null : Cost;

    /// <summary>Gets the most this iteration can have cost by the ranking, or <see langword="null"/> when unbounded.</summary>
    public decimal? IterationCostAtMost => Running > 0 ? null : IterationCost;
}
