using StreamingBeam.Testing;

namespace StreamingBeam.Benchmarks.Tests;

/// <summary>Providers that answer with zero-latency simulated providers and record, for every call, the latency the
/// timed providers would have drawn for that very request.</summary>
internal sealed class RecordingProviders(SimulatedProviders instant, SimulatedProviders timed) : ILlmClient, IImageGenerator, IVisionScorer
{
    private readonly List<(SimulatedOperation Operation, TimeSpan Latency)> _calls = [];

    public IReadOnlyList<TimeSpan> Latencies(SimulatedOperation operation)
    {
        lock (_calls)
        {
            return _calls.Where(c => c.Operation == operation).Select(c => c.Latency).Order().ToArray();
        }
    }

    public Task<LlmResponse> ExpandAsync(ExpandRequest request, CancellationToken cancellationToken = default)
    {
        Record(SimulatedOperation.Expand, timed.Llm.GetLatency(request));
        return instant.Llm.ExpandAsync(request, cancellationToken);
    }

    public Task<LlmResponse> CombineAsync(CombineRequest request, CancellationToken cancellationToken = default)
    {
        Record(SimulatedOperation.Combine, timed.Llm.GetLatency(request));
        return instant.Llm.CombineAsync(request, cancellationToken);
    }

    public Task<LlmResponse> CritiqueAsync(CritiqueRequest request, CancellationToken cancellationToken = default)
    {
        Record(SimulatedOperation.Critique, timed.Llm.GetLatency(request));
        return instant.Llm.CritiqueAsync(request, cancellationToken);
    }

    public Task<LlmResponse> RefineAsync(RefineRequest request, CancellationToken cancellationToken = default)
    {
        Record(SimulatedOperation.Refine, timed.Llm.GetLatency(request));
        return instant.Llm.RefineAsync(request, cancellationToken);
    }

    public Task<GeneratedImage> GenerateAsync(string prompt, CancellationToken cancellationToken = default)
    {
        Record(SimulatedOperation.GenerateImage, timed.ImageGenerator.GetLatency(prompt));
        return instant.ImageGenerator.GenerateAsync(prompt, cancellationToken);
    }

    public Task<VisionScore> ScoreAlignmentAsync(GeneratedImage image, string prompt, CancellationToken cancellationToken = default)
    {
        Record(SimulatedOperation.ScoreAlignment, timed.VisionScorer.GetAlignmentLatency(image, prompt));
        return instant.VisionScorer.ScoreAlignmentAsync(image, prompt, cancellationToken);
    }

    public Task<VisionScore> ScoreAestheticAsync(GeneratedImage image, CancellationToken cancellationToken = default)
    {
        Record(SimulatedOperation.ScoreAesthetic, timed.VisionScorer.GetAestheticLatency(image));
        return instant.VisionScorer.ScoreAestheticAsync(image, cancellationToken);
    }

    private void Record(SimulatedOperation operation, TimeSpan latency)
    {
        lock (_calls)
        {
            _calls.Add((operation, latency));
        }
    }
}
