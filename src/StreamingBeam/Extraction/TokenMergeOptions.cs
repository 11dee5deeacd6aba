namespace StreamingBeam;

/// <summary>How a <see cref="TokenDocument"/> settles conflicts and which updates it takes.</summary>
public sealed class TokenMergeOptions
{
    /// <summary>Gets or sets a value indicating whether, between two values of equal weight from different
    /// extractors, the earlier one is kept.</summary>
    /// <value>The default value is <see langword="false"/>: the later value replaces the earlier one.</value>
    public bool PreferEarlierOnEqualWeight { get; set; }

    /// <summary>Gets or sets a value indicating whether provisional updates are merged too.</summary>
    /// <value>The default value is <see langword="false"/>: only final results are merged, so a document never shows
    /// a value that its extractor did not confirm.</value>
    /// <remarks>When provisional updates are merged, the extractor's final tokens replace its provisional values
    /// key by key (an extractor always replaces its own values); a provisional key that the final result does not
    /// contain stays, and stays if the extractor then fails.</remarks>
    public bool IncludeProvisional { get; set; }
}
