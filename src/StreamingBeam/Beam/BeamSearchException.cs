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

    /// <summary>Gets what the search's provider calls consumed before it failed, failed calls included: tokens of
    /// replies that could not be used, images that could not be scored, and whatever a checkpoint it resumed from had
    /// spent.</summary>
    /// <remarks>A search that fails still costs money; this is the figure to bill or alert on.</remarks>
    public ProviderUsage Usage { get; init; }
}
