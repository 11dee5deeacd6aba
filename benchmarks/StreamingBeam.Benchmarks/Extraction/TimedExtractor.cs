namespace StreamingBeam.Benchmarks.Extraction;

/// <summary>Wraps an extractor and records the moments the engine calls it and its own call completes (before the engine
/// sees the result), so that a run's time to each result splits into the engine's dispatch, the extractor's own latency
/// (its timer) and the engine's delivery.</summary>
internal sealed class TimedExtractor(IExtractor inner, ExtractionTimeline.Recorder recorder) : IExtractor
{
    public string Name => inner.Name;

    public async Task<ExtractorOutput> ExtractAsync(ExtractionContext context, CancellationToken cancellationToken = default)
    {
        recorder.Started(Name);
        var output = await inner.ExtractAsync(context, cancellationToken);
        recorder.Completed(Name);
        return output;
    }
}
