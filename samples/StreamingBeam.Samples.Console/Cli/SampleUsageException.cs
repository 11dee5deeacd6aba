namespace StreamingBeam.Samples.Console.Cli;

/// <summary>A problem with what the user asked for (a prompt, a path) found after parsing; exit code 2.</summary>
internal sealed class SampleUsageException : Exception
{
    public SampleUsageException()
    {
    }

    public SampleUsageException(string message)
        : base(message)
    {
    }

    public SampleUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
