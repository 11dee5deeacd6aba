namespace StreamingBeam.Benchmarks.Overhead;

/// <summary>Providers that do nothing and complete synchronously with cached tasks, so a benchmark measures the engine's
/// own cost per lane (scheduling, state machines, requests, events, ranking) and almost nothing else.</summary>
/// <remarks>Scores cycle through a fixed table, so the ranking sorts distinct totals as it would with real scores.</remarks>
internal sealed class NullBeamProviders : ILlmClient, IImageGenerator, IVisionScorer
{
    private const int ScoreCount = 1021;

    private static readonly Task<LlmResponse> Text = Task.FromResult(new LlmResponse("a red fox at dawn, watercolour"));
    private static readonly Task<GeneratedImage> Image = Task.FromResult(new GeneratedImage { Uri = new Uri("null:image") });
    private static readonly Task<VisionScore>[] Scores = Enumerable.Range(0, ScoreCount)
        .Select(i => Task.FromResult(new VisionScore((i * 389 % ScoreCount) / (double)ScoreCount)))
        .ToArray();

    private int _next;

    public Task<LlmResponse> ExpandAsync(ExpandRequest request, CancellationToken cancellationToken = default) => Text;

    public Task<LlmResponse> CombineAsync(CombineRequest request, CancellationToken cancellationToken = default) => Text;

    public Task<LlmResponse> CritiqueAsync(CritiqueRequest request, CancellationToken cancellationToken = default) => Text;

    public Task<LlmResponse> RefineAsync(RefineRequest request, CancellationToken cancellationToken = default) => Text;

    public Task<GeneratedImage> GenerateAsync(string prompt, CancellationToken cancellationToken = default) => Image;

    public Task<VisionScore> ScoreAlignmentAsync(GeneratedImage image, string prompt, CancellationToken cancellationToken = default) => NextScore();

    public Task<VisionScore> ScoreAestheticAsync(GeneratedImage image, CancellationToken cancellationToken = default) => NextScore();

    private Task<VisionScore> NextScore() => Scores[(uint)Interlocked.Increment(ref _next) % ScoreCount];
}
