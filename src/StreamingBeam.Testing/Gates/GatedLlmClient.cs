using System.Collections.Concurrent;

namespace StreamingBeam.Testing;

/// <summary>An <see cref="ILlmClient"/> whose every call waits at a <see cref="CallGate"/> and then answers the
/// deterministic texts described in <see cref="BeamGateKeys"/>.</summary>
public sealed class GatedLlmClient : ILlmClient
{
    private readonly ConcurrentDictionary<string, string?> _overrides = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="GatedLlmClient"/> class.</summary>
    /// <param name="gate">The gate every call waits at.</param>
    public GatedLlmClient(CallGate gate)
    {
        ArgumentNullException.ThrowIfNull(gate);
        Gate = gate;
    }

    /// <summary>Gets the gate every call waits at.</summary>
    public CallGate Gate { get; }

    /// <summary>Gets or sets the usage every call reports.</summary>
    public ProviderUsage UsagePerCall { get; set; } = new(InputTokens: 10, OutputTokens: 5);

    /// <summary>Makes the call named <paramref name="key"/> answer <paramref name="text"/> instead (which may be empty or
    /// <see langword="null"/>, to test how bad output is handled).</summary>
    /// <param name="key">A key from <see cref="BeamGateKeys"/>.</param>
    /// <param name="text">The text to answer.</param>
    public void Override(string key, string? text) => _overrides[key] = text;

    /// <inheritdoc/>
    public Task<LlmResponse> ExpandAsync(ExpandRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AnswerAsync(
            Again(BeamGateKeys.Expand(request.Dimension, request.VariantIndex), request.Attempt),
            Again(BeamGateKeys.ExpandedText(request.Dimension, request.VariantIndex), request.Attempt),
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task<LlmResponse> CombineAsync(CombineRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AnswerAsync(BeamGateKeys.Combine(request.What, request.How), BeamGateKeys.CombinedText(request.What, request.How), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<LlmResponse> CritiqueAsync(CritiqueRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AnswerAsync(
            BeamGateKeys.Critique(request.Iteration, request.What, request.How),
            $"improve the {request.Dimension} of {request.What}|{request.How}",
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task<LlmResponse> RefineAsync(RefineRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AnswerAsync(
            Again(BeamGateKeys.Refine(request.Iteration, request.What, request.How, request.VariantIndex), request.Attempt),
            Again(BeamGateKeys.RefinedText(request.Current, request.Iteration, request.VariantIndex), request.Attempt),
            cancellationToken);
    }

    /// <summary>A request asked again because its answer repeated a candidate (attempt 1, 2...) has its own key and
    /// text: the first's with <c>#{attempt}</c> appended.</summary>
    private static string Again(string value, int attempt) =>
        attempt == 0 ? value : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{value}#{attempt}");

    private async Task<LlmResponse> AnswerAsync(string key, string text, CancellationToken cancellationToken)
    {
        await Gate.EnterAsync(key, cancellationToken).ConfigureAwait(false);
        return new LlmResponse(_overrides.TryGetValue(key, out var replacement) ? replacement! : text, UsagePerCall);
    }
}
