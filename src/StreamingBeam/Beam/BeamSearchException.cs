namespace StreamingBeam;

/// <summary>A beam search could not produce any result: no candidate was ever scored.</summary>
/// <remarks>Thrown at the end of the event stream, after every failure event was delivered.</remarks>
public class BeamSearchException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="BeamSearchException"/> class.</summary>
    public BeamSearchException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="BeamSearchException"/> class.</summary>
    /// <param name="message">Why the search failed.</param>
    public BeamSearchException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="BeamSearchException"/> class.</summary>
    /// <param name="message">Why the search failed.</param>
    /// <param name="innerException">The first candidate failure.</param>
    public BeamSearchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
