namespace StreamingBeam;

/// <summary>How an extractor's part of an extraction run ended, or that an update is provisional.</summary>
public enum ExtractionStatus
{
    /// <summary>The extractor returned its tokens.</summary>
    Succeeded,

    /// <summary>The extractor threw; <see cref="ExtractionUpdate.Error"/> says why.</summary>
    Failed,

    /// <summary>The extractor was not called; <see cref="ExtractionUpdate.SkipReason"/> says why.</summary>
    Skipped,

    /// <summary>The extractor did not finish within its <see cref="ExtractorOptions.Timeout"/>; its call was canceled.</summary>
    TimedOut,

    /// <summary>A quick result the extractor published before its final one (see
    /// <see cref="ExtractionContext.PublishProvisional"/>). It does not count toward completion.</summary>
    Provisional,
}
