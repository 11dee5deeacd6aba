namespace StreamingBeam;

/// <summary>A named unit of analysis that turns an input into a JSON-shaped token tree.</summary>
/// <remarks>
/// <para>
/// An extraction run calls every registered extractor at once, each exactly once, and streams each result the
/// moment it is ready. Implementations should honour the <c>cancellationToken</c>; the run cancels it when the
/// extractor times out, when the consumer stops reading, or when the caller cancels.
/// </para>
/// <para>A thrown exception fails this extractor alone; the others go on.</para>
/// </remarks>
public interface IExtractor
{
    /// <summary>Gets the extractor's name, unique within a run. Updates, dependencies and merged documents refer to it.</summary>
    string Name { get; }

    /// <summary>Analyses the run's input.</summary>
    /// <param name="context">The input, shared artifacts, the results of this extractor's dependencies, and a way to publish a provisional result.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The extractor's tokens and what producing them cost.</returns>
    Task<ExtractorOutput> ExtractAsync(ExtractionContext context, CancellationToken cancellationToken = default);
}
