namespace StreamingBeam;

/// <summary>A candidate's image is rendered and about to be scored, so a UI can show it at once.</summary>
public sealed class ImageGeneratedEvent : BeamEvent
{
    /// <summary>Initializes a new instance of the <see cref="ImageGeneratedEvent"/> class.</summary>
    /// <param name="iteration">The candidate's iteration.</param>
    /// <param name="elapsed">The time since the search started.</param>
    /// <param name="candidateId">The candidate's id.</param>
    /// <param name="parentId">The parent's id, or <see langword="null"/>.</param>
    /// <param name="what">The content prompt.</param>
    /// <param name="how">The style prompt.</param>
    /// <param name="combinedPrompt">The image prompt.</param>
    /// <param name="image">The image.</param>
    public ImageGeneratedEvent(int iteration, TimeSpan elapsed, string candidateId, string? parentId, string what, string how, string combinedPrompt, GeneratedImage image)
        : base(iteration, elapsed)
    {
        CandidateId = candidateId;
        ParentId = parentId;
        What = what;
        How = how;
        CombinedPrompt = combinedPrompt;
        Image = image;
    }

    /// <summary>Gets the candidate's id.</summary>
    public string CandidateId { get; }

    /// <summary>Gets the parent's id, or <see langword="null"/> in the first iteration.</summary>
    public string? ParentId { get; }

    /// <summary>Gets the content prompt.</summary>
    public string What { get; }

    /// <summary>Gets the style prompt.</summary>
    public string How { get; }

    /// <summary>Gets the image prompt.</summary>
    public string CombinedPrompt { get; }

    /// <summary>Gets the image.</summary>
    public GeneratedImage Image { get; }
}
