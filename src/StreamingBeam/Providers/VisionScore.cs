namespace StreamingBeam;

/// <summary>A score given by an <see cref="IVisionScorer"/>, with the reasoning behind it.</summary>
public sealed class VisionScore
{
    /// <summary>Initializes a new instance of the <see cref="VisionScore"/> class.</summary>
    /// <param name="score">The score, in [0, 1]; higher is better.</param>
    /// <param name="analysis">Why the image got that score, or <see langword="null"/>.</param>
    /// <param name="usage">What the call consumed.</param>
    public VisionScore(double score, string? analysis = null, ProviderUsage usage = default)
    {
        Score = score;
        Analysis = analysis;
        Usage = usage;
    }

    /// <summary>Gets the score, which must be in [0, 1]; higher is better.</summary>
    /// <remarks>Engines treat NaN, infinities and values outside [0, 1] as a provider failure.</remarks>
    public double Score { get; }

    /// <summary>Gets why the image got that score, or <see langword="null"/>.</summary>
    public string? Analysis { get; }

    /// <summary>Gets what the call consumed.</summary>
    public ProviderUsage Usage { get; }
}
