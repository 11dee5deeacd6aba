namespace StreamingBeam.Benchmarks.Extraction;

/// <summary>Wraps an extractor and records the moment its own call completes, before the engine sees the result; the
/// difference with the moment the consumer receives the update is the engine's delivery time.</summary>
internal sealed class TimedExtractor(IExtractor inner, ExtractionTimeline.Recorder recorder) : IExtractor
{
    public string Name => inner.Name;

    public async Task<ExtractorOutput> ExtractAsync(ExtractionContext context, CancellationToken cancellationToken = default)
    {
        var output = await inner.ExtractAsync(context, cancellationToken);
        recorder.Completed(Name);
        return output;
    }
}
