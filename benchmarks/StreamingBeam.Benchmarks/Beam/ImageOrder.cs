namespace StreamingBeam.Benchmarks.Beam;

/// <summary>The order in which waiting image calls are served.</summary>
internal enum ImageOrder
{
    /// <summary>First come, first served: by the time the call became ready (the engine's order).</summary>
    Fifo,

    /// <summary>The oldest iteration first, then first come, first served: a lane of the iteration being ranked goes
    /// before a promoted child of the next one.</summary>
    IterationFirst,

    /// <summary>Analysis only, not implementable (it needs each call's latency in advance): the oldest iteration first,
    /// then the longest image first (longest processing time first, which balances the slots' finishing times).</summary>
    IterationFirstLongest,

    /// <summary>Analysis only: the longest remaining lane first (image and scores), whatever the iteration.</summary>
    LongestRemainingFirst,
}
