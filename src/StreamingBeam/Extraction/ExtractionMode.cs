namespace StreamingBeam;

/// <summary>How an extraction run schedules and delivers its extractors.</summary>
public enum ExtractionMode
{
    /// <summary>Every extractor starts as soon as its dependencies are done (within
    /// <see cref="ExtractionRunOptions.MaxConcurrency"/>), and each result is delivered the moment it is ready.</summary>
    Atomic,

    /// <summary>Tiers (<see cref="ExtractorOptions.Tier"/>, lowest first) run one after another, and each tier is
    /// delivered as one batch once its slowest member is done. For compatibility and comparison with
    /// tier-by-tier pipelines.</summary>
    Tiered,
}
