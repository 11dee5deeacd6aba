namespace StreamingBeam.Testing;

/// <summary>The kinds of call a simulated provider makes. Each kind draws its latency, faults and output separately,
/// and can have its own latency distribution.</summary>
public enum SimulatedOperation
{
    /// <summary><see cref="ILlmClient.ExpandAsync"/>.</summary>
    Expand = 0,

    /// <summary><see cref="ILlmClient.CombineAsync"/>.</summary>
    Combine = 1,

    /// <summary><see cref="ILlmClient.CritiqueAsync"/>.</summary>
    Critique = 2,

    /// <summary><see cref="ILlmClient.RefineAsync"/>.</summary>
    Refine = 3,

    /// <summary><see cref="IImageGenerator.GenerateAsync"/>.</summary>
    GenerateImage = 4,

    /// <summary><see cref="IVisionScorer.ScoreAlignmentAsync"/>.</summary>
    ScoreAlignment = 5,

    /// <summary><see cref="IVisionScorer.ScoreAestheticAsync"/>.</summary>
    ScoreAesthetic = 6,

    /// <summary><see cref="IExtractor.ExtractAsync"/>.</summary>
    Extract = 7,
}
