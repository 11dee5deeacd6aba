namespace StreamingBeam.Extensions.AI;

/// <summary>Thrown when a provider answered, but its reply cannot be used: no score could be read from it, it held no
/// text, or an image generator returned no image.</summary>
/// <remarks>
/// The message names the provider operation and quotes the start of the raw reply, so a failed candidate's event
/// says which provider returned what. As a <see cref="ProviderOutputException"/> it fails the one
/// candidate the call was for, the search goes on, and it is not retried by default. The full reply is in <see cref="RawReply"/>.
/// </remarks>
public class ProviderResponseException : ProviderOutputException
{
    /// <summary>The number of characters of the raw reply quoted in <see cref="Exception.Message"/>.</summary>
    public const int MaxQuotedReplyLength = 500;

    /// <summary>Initializes a new instance of the <see cref="ProviderResponseException"/> class.</summary>
    public ProviderResponseException()
        : base("A provider returned a reply that could not be used.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ProviderResponseException"/> class with a message.</summary>
    /// <param name="message">The message that describes the error.</param>
    public ProviderResponseException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ProviderResponseException"/> class with a message and the
    /// exception that caused it.</summary>
    /// <param name="message">The message that describes the error.</param>
    /// <param name="innerException">The exception that caused this one, or <see langword="null"/>.</param>
    public ProviderResponseException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ProviderResponseException"/> class for a reply that
    /// <paramref name="operation"/> could not use.</summary>
    /// <param name="operation">The provider operation, for example <c>ChatClientVisionScorer.ScoreAestheticAsync</c>.</param>
    /// <param name="reason">Why the reply could not be used, without a final period.</param>
    /// <param name="rawReply">The provider's reply as received, or <see langword="null"/> when there was none.</param>
    /// <param name="innerException">The exception that caused this one, or <see langword="null"/>.</param>
    public ProviderResponseException(string operation, string reason, string? rawReply, Exception? innerException = null)
        : base(FormatMessage(operation, reason, rawReply), innerException)
    {
        Operation = operation;
        RawReply = rawReply;
    }

    /// <summary>Gets the provider operation whose reply could not be used, or <see langword="null"/> when unknown.</summary>
    public string? Operation { get; }

    /// <summary>Gets the provider's whole reply as received, or <see langword="null"/> when unknown.</summary>
    /// <remarks>The reply can contain the model's view of a user's prompt: treat it like a prompt when logging.</remarks>
    public string? RawReply { get; }

    private static string FormatMessage(string operation, string reason, string? rawReply)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(reason);
        if (rawReply is null)
        {
            return $"{operation}: {reason}.";
        }

        if (rawReply.Length == 0)
        {
            return $"{operation}: {reason}. The reply was empty.";
        }

        var quoted = rawReply.Length <= MaxQuotedReplyLength
            ? rawReply
            : string.Concat(rawReply.AsSpan(0, MaxQuotedReplyLength), $"... ({rawReply.Length} characters in all)");
        return $"{operation}: {reason}. Raw reply: \"{quoted}\"";
    }
}
