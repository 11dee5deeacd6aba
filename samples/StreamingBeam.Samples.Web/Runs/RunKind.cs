namespace StreamingBeam.Samples.Web.Runs;

/// <summary>What a run does.</summary>
internal enum RunKind
{
    /// <summary>A beam search for a prompt.</summary>
    Beam,

    /// <summary>An atomic extraction over an uploaded image.</summary>
    Extraction,
}
