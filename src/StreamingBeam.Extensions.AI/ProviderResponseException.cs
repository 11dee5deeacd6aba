using System.Globalization;

namespace StreamingBeam.Extensions.AI;

/// <summary>Thrown when a provider answered, but its reply cannot be used: no score could be read from it, it held no
/// text, or an image generator returned no image.</summary>
/// <remarks>
/// The message names the provider operation and says why the reply could not be used, and how long it was, but never
/// quotes it: models often repeat the prompt, and a failed candidate is logged at Warning level, where prompts must not
/// appear. The whole reply is in <see cref="ProviderOutputException.RawReply"/>. As a <see cref="ProviderOutputException"/>
/// it fails the one candidate the call was for, the search goes on, and it is not retried by default.
/// </remarks>
public class ProviderResponseException : ProviderOutputException
{
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
    /// <param name="reason">Why the reply could not be used, without a final period; it must not quote the reply.</param>
    /// <param name="rawReply">The provider's reply as received, or <see langword="null"/> when there was none.</param>
    /// <param name="innerException">The exception that caused this one, or <see langword="null"/>.</param>
    public ProviderResponseException(string operation, string reason, string? rawReply, Exception? innerException = null)
        : base(FormatMessage(operation, reason, rawReply), rawReply, innerException)
    {
        Operation = operation;
    }

    private static string FormatMessage(string operation, string reason, string? rawReply)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(reason);
        if (rawReply is null)
        {
            return $"{operation}: {reason}.";
        }

        return rawReply.Length == 0
            ? $"{operation}: {reason}. The reply was empty."
            : string.Create(CultureInfo.InvariantCulture, $"{operation}: {reason}. The reply ({rawReply.Length} characters) is in RawReply, not quoted here.");
    }
}
