namespace StreamingBeam;

/// <summary>What a candidate's image is judged against when its alignment is scored.</summary>
public enum AlignmentTarget
{
    /// <summary>The user's original prompt: the intent, so that refinement cannot drift away from what was asked.</summary>
    UserPrompt = 0,

    /// <summary>The candidate's own combined prompt: how faithfully the generator rendered what it was told.</summary>
    CombinedPrompt = 1,
}
