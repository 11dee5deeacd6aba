namespace StreamingBeam;

/// <summary>A step of a beam-search candidate's lane.</summary>
public enum BeamStage
{
    /// <summary>Writing a first-generation WHAT or HOW prompt from the user's prompt.</summary>
    Expand = 0,

    /// <summary>Critiquing the candidate's parent (a child fails at this stage when its parent's critique failed).</summary>
    Critique = 1,

    /// <summary>Rewriting one dimension of the parent from the critique.</summary>
    Refine = 2,

    /// <summary>Merging WHAT and HOW into one image prompt.</summary>
    Combine = 3,

    /// <summary>Rendering the image.</summary>
    Image = 4,

    /// <summary>Scoring how well the image matches the prompt.</summary>
    Alignment = 5,

    /// <summary>Scoring the image's aesthetic quality.</summary>
    Aesthetic = 6,
}
