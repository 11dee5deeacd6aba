using System.Text.Json.Nodes;

namespace StreamingBeam.Benchmarks.Overhead;

/// <summary>An extractor that does nothing and completes synchronously with a cached task, so a benchmark measures the
/// extraction engine's own cost per extractor.</summary>
internal sealed class NullExtractor(string name) : IExtractor
{
    private static readonly Task<ExtractorOutput> Output = Task.FromResult(new ExtractorOutput(new JsonObject()));

    public string Name => name;

    public Task<ExtractorOutput> ExtractAsync(ExtractionContext context, CancellationToken cancellationToken = default) => Output;
}
