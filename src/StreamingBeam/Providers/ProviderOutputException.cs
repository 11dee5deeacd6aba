namespace StreamingBeam;

/// <summary>A provider returned output an engine cannot use: a NaN or out-of-range score, a null image, an empty prompt.</summary>
/// <remarks>
/// <para>Engines treat it as a failure of the one candidate or extractor concerned, and do not retry it by default
/// (<see cref="ProviderException.IsTransient"/> is <see langword="false"/>). Usage the provider reported for the reply
/// (<see cref="ProviderException.Usage"/>) is counted all the same: the reply was paid for.</para>
/// <para>
/// The <see cref="Exception.Message"/> says which provider returned what kind of output and why it is unusable, but
/// never quotes the output itself: models often repeat the user's prompt, and a failed candidate is logged at Warning
/// level, where prompts must not appear. The output, when there is one, is kept in <see cref="RawReply"/>.
/// </para>
/// </remarks>
public class ProviderOutputException : ProviderException
{
    /// <summary>Initializes a new instance of the <see cref="ProviderOutputException"/> class.</summary>
    public ProviderOutputException()
        : base("A provider returned output that cannot be used.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ProviderOutputException"/> class.</summary>
    /// <param name="message">Which provider returned what; never the output itself.</param>
    public ProviderOutputException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ProviderOutputException"/> class.</summary>
    /// <param name="message">Which provider returned what; never the output itself.</param>
    /// <param name="innerException">The error that made the output unusable.</param>
    public ProviderOutputException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ProviderOutputException"/> class with the provider's raw
    /// output, which is kept out of the message.</summary>
    /// <param name="message">Which provider returned what; never the output itself.</param>
    /// <param name="rawReply">The provider's output as received, or <see langword="null"/> when there was none.</param>
    /// <param name="innerException">The error that made the output unusable, or <see langword="null"/>.</param>
    public ProviderOutputException(string message, string? rawReply, Exception? innerException)
        : base(message, innerException)
    {
        RawReply = rawReply;
    }

    /// <summary>Gets the provider's output as received (for example a model's whole reply), or <see langword="null"/>
    /// when unknown. Never part of <see cref="Exception.Message"/>.</summary>
    /// <remarks>The output can contain the model's view of a user's prompt: log it at Debug or Trace level only, as
    /// prompts are.</remarks>
    public string? RawReply { get; }
}
