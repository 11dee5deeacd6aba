namespace StreamingBeam;

/// <summary>A provider returned output an engine cannot use: a NaN or out-of-range score, a null image, an empty prompt.</summary>
/// <remarks>Engines treat it as a failure of the one candidate or extractor concerned, and do not retry it by default.</remarks>
public class ProviderOutputException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ProviderOutputException"/> class.</summary>
    public ProviderOutputException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ProviderOutputException"/> class.</summary>
    /// <param name="message">Which provider returned what.</param>
    public ProviderOutputException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ProviderOutputException"/> class.</summary>
    /// <param name="message">Which provider returned what.</param>
    /// <param name="innerException">The error that made the output unusable.</param>
    public ProviderOutputException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
