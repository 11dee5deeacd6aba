namespace StreamingBeam.Benchmarks.Overhead;

/// <summary>Providers that do nothing and complete synchronously with cached tasks, so a benchmark measures the engine's
/// own cost per lane (scheduling, state machines, requests, events, ranking) and almost nothing else.</summary>
/// <remarks>Scores cycle through a fixed table, so the ranking sorts distinct totals as it would with real scores. A
/// refinement answers a text of its own per iteration and variant (cached after the first run), so that no child repeats
/// its parent: the engine would ask again and then skip it, and the benchmark would measure fewer lanes.</remarks>
internal sealed class NullBeamProviders : ILlmClient, IImageGenerator, IVisionScorer
{
    private const int ScoreCount = 1021;

    private static readonly Task<LlmResponse> Text = Task.FromResult(new LlmResponse("a red fox at dawn, watercolour"));
    private static readonly Task<GeneratedImage> Image = Task.FromResult(new GeneratedImage { Uri = new Uri("null:image") });
    private static readonly Task<VisionScore>[] Scores = Enumerable.Range(0, ScoreCount)
        .Select(i => Task.FromResult(new VisionScore((i * 389 % ScoreCount) / (double)ScoreCount)))
        .ToArray();

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int Iteration, int Variant), Task<LlmResponse>> Refined = new();

    private int _next;

    public Task<LlmResponse> ExpandAsync(ExpandRequest request, CancellationToken cancellationToken = default) => Text;

    public Task<LlmResponse> CombineAsync(CombineRequest request, CancellationToken cancellationToken = default) => Text;

    public Task<LlmResponse> CritiqueAsync(CritiqueRequest request, CancellationToken cancellationToken = default) => Text;

    public Task<LlmResponse> RefineAsync(RefineRequest request, CancellationToken cancellationToken = default) =>
        Refined.GetOrAdd((request.Iteration, request.VariantIndex), static key => Task.FromResult(new LlmResponse(
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"a red fox at dawn, watercolour, take {key.Iteration}.{key.Variant}"))));

    public Task<GeneratedImage> GenerateAsync(string prompt, CancellationToken cancellationToken = default) => Image;

    public Task<VisionScore> ScoreAlignmentAsync(GeneratedImage image, string prompt, CancellationToken cancellationToken = default) => NextScore();

    public Task<VisionScore> ScoreAestheticAsync(GeneratedImage image, CancellationToken cancellationToken = default) => NextScore();

    private Task<VisionScore> NextScore() => Scores[(uint)Interlocked.Increment(ref _next) % ScoreCount];
}
