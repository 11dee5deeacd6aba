namespace StreamingBeam;

/// <summary>A beam-search checkpoint could not be found or read: it is missing, corrupt, or in a format this version
/// does not read. Never answered by silently starting over.</summary>
public sealed class BeamCheckpointException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="BeamCheckpointException"/> class.</summary>
    public BeamCheckpointException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="BeamCheckpointException"/> class with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public BeamCheckpointException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="BeamCheckpointException"/> class with a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public BeamCheckpointException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
