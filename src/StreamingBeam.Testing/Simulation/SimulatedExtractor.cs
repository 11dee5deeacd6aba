using System.Globalization;
using System.Text.Json.Nodes;

namespace StreamingBeam.Testing;

/// <summary>An extractor that produces plausible tokens offline, with seeded latency and optional fault injection.</summary>
/// <remarks>
/// <para>
/// Its tokens are <c>{ "&lt;name&gt;": { "label": ..., "confidence": ..., "fingerprint": ... } }</c>, a pure function of the
/// seed, the extractor's name and the input's bytes and media type. Nesting under the name keeps the tokens of several
/// simulated extractors apart when they are deep-merged into one document.
/// </para>
/// <para>Bad output (fault injection) is a <see langword="null"/> <see cref="ExtractorOutput"/>. All members are thread-safe.</para>
/// </remarks>
public sealed class SimulatedExtractor : IExtractor
{
    private static readonly SimulatedOperation[] Operations = [SimulatedOperation.Extract];

    private static readonly string[] Labels =
    [
        "landscape", "portrait", "still life", "street scene", "interior", "abstract", "night scene", "seascape",
        "architecture", "wildlife", "food", "document",
    ];

    private readonly SimulationCore _core;
    private readonly decimal _costPerCall;

    /// <summary>Initializes a new instance of the <see cref="SimulatedExtractor"/> class.</summary>
    /// <param name="name">The extractor's name, unique within a run.</param>
    /// <param name="seed">The seed every draw derives from.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults. They are copied: later changes have no effect.</param>
    /// <param name="timeProvider">The clock latencies wait on, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space, or an option is invalid.</exception>
    public SimulatedExtractor(string name, long seed, SimulatedExtractorOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        options ??= new SimulatedExtractorOptions();
        options.Validate();
        Name = name;
        _core = new SimulationCore(nameof(SimulatedExtractor) + " '" + name + "'", seed, options, Operations, timeProvider);
        _costPerCall = options.CostPerCall;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>Gets the seed every draw derives from.</summary>
    public long Seed => _core.Seed;

    /// <summary>Gets how many calls this provider refused with <see cref="ProviderRateLimitedException"/> (HTTP 429)
    /// because its <see cref="SimulatedProviderOptions.Quota"/> was used up: the 429s its callers received.</summary>
    /// <value>0 without a quota. Thread-safe; it only grows.</value>
    public long RateLimitedCalls => _core.RateLimitedCalls;

    /// <inheritdoc/>
    public Task<ExtractorOutput> ExtractAsync(ExtractionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = context.Input;
        ArgumentNullException.ThrowIfNull(input, nameof(context) + "." + nameof(ExtractionContext.Input));
        return _core.RunAsync(SimulatedOperation.Extract, RequestKeys.OfExtraction(Name, input), (Extractor: this, Input: input),
            static (s, key) => s.Extractor.Produce(s.Input, key), Invalid, cancellationToken);
    }

    /// <summary>Gets how long <see cref="ExtractAsync"/> waits for <paramref name="input"/>, without calling it.</summary>
    /// <param name="input">The input.</param>
    /// <returns>The latency of the first call with this input.</returns>
    public TimeSpan GetLatency(ExtractionInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return _core.GetLatency(SimulatedOperation.Extract, RequestKeys.OfExtraction(Name, input));
    }

    // Bad output on purpose, so that tests can check an engine reports a null output as a failure.
    private static ExtractorOutput Invalid(ulong key) => null!;

    private ExtractorOutput Produce(ExtractionInput input, ulong key)
    {
        var fingerprint = StableHash.Start().Add(input.Data.Span).Finish();
        var confidence = Math.Round(0.5 + (0.5 * Draws.Uniform(key, Draws.Output, 1)), 3);
        var tokens = new JsonObject
        {
            [Name] = new JsonObject
            {
                ["label"] = Labels[Draws.Index(key, Draws.Output, 0, Labels.Length)],
                ["confidence"] = confidence,
                ["fingerprint"] = fingerprint.ToString("x16", CultureInfo.InvariantCulture),
                ["bytes"] = input.Data.Length,
            },
        };

        var isText = input.MediaType is not null && input.MediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase);
        var inputTokens = isText ? (input.Data.Length + 3) / 4 : 258;
        return new ExtractorOutput(tokens, new ProviderUsage(inputTokens, 24, 0, _costPerCall));
    }
}
