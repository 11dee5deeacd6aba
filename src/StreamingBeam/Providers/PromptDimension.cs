namespace StreamingBeam;

/// <summary>One of the two halves of a beam-search candidate's prompt.</summary>
public enum PromptDimension
{
    /// <summary>The content of the picture: subjects, objects, setting, action.</summary>
    What = 0,

    /// <summary>The style of the picture: medium, lighting, palette, composition, mood.</summary>
    How = 1,
}
