namespace StreamingBeam.Testing;

/// <summary>A language model that writes plausible image prompts and critiques offline, with seeded latency,
/// deterministic output and optional fault injection.</summary>
/// <remarks>
/// <para>
/// Everything a call does (how long it waits, whether it fails, what it writes) is a pure function of the seed, the
/// operation and the request's content. The same requests give the same results in any order, on any thread, in any
/// process, so two orchestration strategies can be compared call for call.
/// </para>
/// <para>
/// Expansions of <see cref="PromptDimension.What"/> keep the request's subject whole (sometimes leaving out a later
/// phrase of it, such as "at dusk") and add a subject, a setting and maybe a detail, a different combination for each
/// variant index; expansions of <see cref="PromptDimension.How"/> name two or three of medium, lighting, palette,
/// composition and mood. Critiques name what is missing and quote suggestions in double quotes; refinements put back
/// what the request lost and add what the critique quoted, something different for each sibling (variant index), so
/// that no two children of one parent are the same.
/// </para>
/// <para>Usage reports tokens estimated at one per four characters (plus 40 for the instructions) and the configured costs.
/// All members are thread-safe.</para>
/// </remarks>
public sealed class SimulatedLlmClient : ILlmClient
{
    private const int InstructionTokens = 40;

    private static readonly SimulatedOperation[] Operations =
        [SimulatedOperation.Expand, SimulatedOperation.Combine, SimulatedOperation.Critique, SimulatedOperation.Refine];

    private static readonly string[] InvalidTexts = [string.Empty, " ", "\n\t "];

    private readonly SimulationCore _core;
    private readonly decimal _costPerCall;
    private readonly decimal _costPerThousandTokens;

    /// <summary>Initializes a new instance of the <see cref="SimulatedLlmClient"/> class.</summary>
    /// <param name="seed">The seed every draw derives from. Clients with the same seed and options behave identically.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults. They are copied: later changes have no effect.</param>
    /// <param name="timeProvider">The clock latencies wait on, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names it and the rule.</exception>
    public SimulatedLlmClient(long seed, SimulatedLlmOptions? options = null, TimeProvider? timeProvider = null)
    {
        options ??= new SimulatedLlmOptions();
        options.Validate();
        _core = new SimulationCore(nameof(SimulatedLlmClient), seed, options, Operations, timeProvider);
        _costPerCall = options.CostPerCall;
        _costPerThousandTokens = options.CostPerThousandTokens;
    }

    /// <summary>Gets the seed every draw derives from.</summary>
    public long Seed => _core.Seed;

    /// <summary>Gets how many calls this provider refused with <see cref="ProviderRateLimitedException"/> (HTTP 429)
    /// because its <see cref="SimulatedProviderOptions.Quota"/> was used up: the 429s its callers received.</summary>
    /// <value>0 without a quota. Thread-safe; it only grows.</value>
    public long RateLimitedCalls => _core.RateLimitedCalls;

    /// <inheritdoc/>
    public Task<LlmResponse> ExpandAsync(ExpandRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _core.RunAsync(SimulatedOperation.Expand, RequestKeys.Of(request), (Client: this, Request: request),
            static (s, key) => s.Client.Respond(PromptWriter.Expand(s.Request, s.Client.Seed, key), s.Request.UserPrompt),
            Invalid, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<LlmResponse> CombineAsync(CombineRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _core.RunAsync(SimulatedOperation.Combine, RequestKeys.Of(request), (Client: this, Request: request),
            static (s, _) => s.Client.Respond(PromptWriter.Combine(s.Request), s.Request.UserPrompt, s.Request.What, s.Request.How),
            Invalid, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<LlmResponse> CritiqueAsync(CritiqueRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _core.RunAsync(SimulatedOperation.Critique, RequestKeys.Of(request), (Client: this, Request: request),
            static (s, key) => s.Client.Respond(PromptWriter.Critique(s.Request, key), s.Request.UserPrompt, s.Request.What,
                s.Request.How, s.Request.CombinedPrompt, s.Request.AlignmentAnalysis, s.Request.AestheticAnalysis),
            Invalid, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<LlmResponse> RefineAsync(RefineRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _core.RunAsync(SimulatedOperation.Refine, RequestKeys.Of(request), (Client: this, Request: request),
            static (s, key) => s.Client.Respond(PromptWriter.Refine(s.Request, s.Client.Seed, key), s.Request.UserPrompt,
                s.Request.What, s.Request.How, s.Request.Critique),
            Invalid, cancellationToken);
    }

    /// <summary>Gets how long <see cref="ExpandAsync"/> waits for <paramref name="request"/>, without calling it.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The latency of the first call with this request.</returns>
    /// <remarks>A call that fault injection makes hang waits until canceled instead.</remarks>
    public TimeSpan GetLatency(ExpandRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _core.GetLatency(SimulatedOperation.Expand, RequestKeys.Of(request));
    }

    /// <summary>Gets how long <see cref="CombineAsync"/> waits for <paramref name="request"/>, without calling it.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The latency of the first call with this request.</returns>
    public TimeSpan GetLatency(CombineRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _core.GetLatency(SimulatedOperation.Combine, RequestKeys.Of(request));
    }

    /// <summary>Gets how long <see cref="CritiqueAsync"/> waits for <paramref name="request"/>, without calling it.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The latency of the first call with this request.</returns>
    public TimeSpan GetLatency(CritiqueRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _core.GetLatency(SimulatedOperation.Critique, RequestKeys.Of(request));
    }

    /// <summary>Gets how long <see cref="RefineAsync"/> waits for <paramref name="request"/>, without calling it.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The latency of the first call with this request.</returns>
    public TimeSpan GetLatency(RefineRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _core.GetLatency(SimulatedOperation.Refine, RequestKeys.Of(request));
    }

    private static LlmResponse Invalid(ulong key) => new(InvalidTexts[key % (ulong)InvalidTexts.Length]);

    private LlmResponse Respond(string text, params string?[] inputs)
    {
        long inputChars = 0;
        foreach (var input in inputs)
        {
            inputChars += input?.Length ?? 0;
        }

        var inputTokens = InstructionTokens + Tokens(inputChars);
        var outputTokens = Tokens(text.Length);
        var cost = _costPerCall + (_costPerThousandTokens * (inputTokens + outputTokens) / 1000m);
        return new LlmResponse(text, new ProviderUsage(inputTokens, outputTokens, 0, cost));
    }

    private static long Tokens(long characters) => (characters + 3) / 4;
}
