namespace StreamingBeam;

/// <summary>How long each stage of one candidate's lane took, including any wait for a concurrency slot.</summary>
/// <param name="Prompt">Writing the candidate's prompts: the two expansions (run concurrently) or the refinement.
/// For a child, this includes waiting for its parent's critique.</param>
/// <param name="Combine">Combining WHAT and HOW.</param>
/// <param name="Image">Rendering the image.</param>
/// <param name="Alignment">Scoring alignment (concurrent with <paramref name="Aesthetic"/>).</param>
/// <param name="Aesthetic">Scoring aesthetics (concurrent with <paramref name="Alignment"/>).</param>
public readonly record struct CandidateTimings(
    TimeSpan Prompt,
    TimeSpan Combine,
    TimeSpan Image,
    TimeSpan Alignment,
    TimeSpan Aesthetic)
{
    /// <summary>Gets the lane's duration from its first call to its last score.</summary>
    public TimeSpan Total => Prompt + Combine + Image + (Alignment > Aesthetic ? Alignment : Aesthetic);
}
