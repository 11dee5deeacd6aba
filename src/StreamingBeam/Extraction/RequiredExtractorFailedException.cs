namespace StreamingBeam;

/// <summary>The exception that ends an extraction run when an extractor marked <see cref="ExtractorOptions.Required"/>
/// fails, times out, or is skipped for a reason other than its condition.</summary>
/// <remarks>The stream delivers every update that arrived before the failure, the failed extractor's own update
/// included, and then throws this exception. The extractors still running are canceled and awaited first.</remarks>
public sealed class RequiredExtractorFailedException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="RequiredExtractorFailedException"/> class.</summary>
    public RequiredExtractorFailedException()
        : base("A required extractor did not succeed.")
    {
        ExtractorName = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="RequiredExtractorFailedException"/> class.</summary>
    /// <param name="message">The error message.</param>
    public RequiredExtractorFailedException(string message)
        : base(message)
    {
        ExtractorName = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="RequiredExtractorFailedException"/> class.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The error that caused this one.</param>
    public RequiredExtractorFailedException(string message, Exception? innerException)
        : base(message, innerException)
    {
        ExtractorName = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="RequiredExtractorFailedException"/> class for an update.</summary>
    /// <param name="update">The required extractor's update.</param>
    /// <exception cref="ArgumentNullException"><paramref name="update"/> is <see langword="null"/>.</exception>
    public RequiredExtractorFailedException(ExtractionUpdate update)
        : base(CreateMessage(update ?? throw new ArgumentNullException(nameof(update))), update.Error)
    {
        ExtractorName = update.ExtractorName;
        Status = update.Status;
        SkipReason = update.SkipReason;
    }

    /// <summary>Gets the name of the required extractor, or an empty string when unknown.</summary>
    public string ExtractorName { get; }

    /// <summary>Gets how the required extractor ended.</summary>
    public ExtractionStatus Status { get; }

    /// <summary>Gets why the required extractor was skipped, or <see cref="ExtractionSkipReason.None"/>.</summary>
    public ExtractionSkipReason SkipReason { get; }

    private static string CreateMessage(ExtractionUpdate update) => update.Status switch
    {
        ExtractionStatus.Skipped => $"Required extractor '{update.ExtractorName}' was skipped ({update.SkipReason}); the extraction run stops.",
        ExtractionStatus.TimedOut => $"Required extractor '{update.ExtractorName}' timed out; the extraction run stops. {update.Error?.Message}".TrimEnd(),
        _ => $"Required extractor '{update.ExtractorName}' failed; the extraction run stops. {update.Error?.Message}".TrimEnd(),
    };
}
