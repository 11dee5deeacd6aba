namespace StreamingBeam;

/// <summary>Which candidates compete for the top places after an iteration that has parents.</summary>
public enum RankingPool
{
    /// <summary>The iteration's children and their parents: a parent survives when no child beats it.</summary>
    ChildrenAndParents = 0,

    /// <summary>The iteration's children alone: every parent is replaced, even by worse children.</summary>
    ChildrenOnly = 1,
}
