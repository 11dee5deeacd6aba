namespace StreamingBeam.Benchmarks.Overhead;

/// <summary>Providers that do nothing and complete synchronously with cached tasks, so a benchmark measures the engine's
/// own cost per lane (scheduling, state machines, requests, events, ranking) and almost nothing else.</summary>
/// <remarks>Scores cycle through a fixed table, so the ranking sorts distinct totals as it would with real scores. A
/// expansion, refinement and combined prompt answers a text of its own per variant (cached after the first run): the
/// engine renders no prompt twice, so the same text for every candidate would be asked again and skipped, and the
/// benchmark would measure fewer lanes.</remarks>
internal sealed class NullBeamProviders : ILlmClient, IImageGenerator, IVisionScorer
{
    private const int ScoreCount = 1021;

    private static readonly Task<LlmResponse> Text = Task.FromResult(new LlmResponse("a red fox at dawn, watercolour"));
    private static readonly Task<GeneratedImage> Image = Task.FromResult(new GeneratedImage { Uri = new Uri("null:image") });
    private static readonly Task<VisionScore>[] Scores = Enumerable.Range(0, ScoreCount)
        .Select(i => Task.FromResult(new VisionScore((i * 389 % ScoreCount) / (double)ScoreCount)))
        .ToArray();

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int Iteration, int Variant), Task<LlmResponse>> Refined = new();

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(PromptDimension Dimension, int Variant), Task<LlmResponse>> Expanded = new();

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string What, string How), Task<LlmResponse>> Combined = new();

    private int _next;

    public Task<LlmResponse> ExpandAsync(ExpandRequest request, CancellationToken cancellationToken = default) =>
        Expanded.GetOrAdd((request.Dimension, request.VariantIndex), static key => Task.FromResult(new LlmResponse(
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"a red fox at dawn, watercolour, {key.Dimension} {key.Variant}"))));

    public Task<LlmResponse> CombineAsync(CombineRequest request, CancellationToken cancellationToken = default) =>
        Combined.GetOrAdd((request.What, request.How), static key => Task.FromResult(new LlmResponse(key.What + ". " + key.How)));

    public Task<LlmResponse> CritiqueAsync(CritiqueRequest request, CancellationToken cancellationToken = default) => Text;

    public Task<LlmResponse> RefineAsync(RefineRequest request, CancellationToken cancellationToken = default) =>
        Refined.GetOrAdd((request.Iteration, request.VariantIndex), static key => Task.FromResult(new LlmResponse(
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"a red fox at dawn, watercolour, take {key.Iteration}.{key.Variant}"))));

    public Task<GeneratedImage> GenerateAsync(string prompt, CancellationToken cancellationToken = default) => Image;

    public Task<VisionScore> ScoreAlignmentAsync(GeneratedImage image, string prompt, CancellationToken cancellationToken = default) => NextScore();

    public Task<VisionScore> ScoreAestheticAsync(GeneratedImage image, CancellationToken cancellationToken = default) => NextScore();

    private Task<VisionScore> NextScore() => Scores[(uint)Interlocked.Increment(ref _next) % ScoreCount];
}
