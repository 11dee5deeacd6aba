using System.Text.Json.Nodes;

namespace StreamingBeam.Testing;

/// <summary>A fake <see cref="IExtractor"/> whose call waits on a <see cref="CallGate"/> until the test releases it,
/// so tests can assert exactly what an extraction run has started and yielded after each release.</summary>
/// <remarks>
/// <para>
/// A call enters <see cref="Gate"/> with <see cref="Key"/> (the extractor's name unless given), publishes
/// <see cref="Provisional"/> first if set, and once released returns the tokens made by <see cref="Result"/>
/// (by default <c>{ "name": true }</c>). <see cref="CallGate.Fail"/> makes the call throw; canceling the call's token
/// ends it with <see cref="OperationCanceledException"/>, which <see cref="CallGate.Canceled"/> records.
/// </para>
/// <para>A gate key admits one call, so a gated extractor serves one run; give each run its own gate (or its own
/// keys) when a test starts several.</para>
/// </remarks>
/// <example>
/// <code>
/// var gate = new CallGate();
/// var engine = new ExtractionEngine([new(new GatedExtractor("fast", gate)), new(new GatedExtractor("slow", gate))]);
/// await using var updates = engine.ExtractStreamingAsync(new ExtractionInput()).GetAsyncEnumerator();
/// var next = updates.MoveNextAsync();
/// gate.Release("fast");
/// Assert.True(await next);                      // "fast" arrives while "slow" is still held
/// Assert.Equal("fast", updates.Current.ExtractorName);
/// </code>
/// </example>
public sealed class GatedExtractor : IExtractor
{
    private int _callCount;

    /// <summary>Initializes a new instance of the <see cref="GatedExtractor"/> class.</summary>
    /// <param name="name">The extractor's name.</param>
    /// <param name="gate">The gate its call waits on.</param>
    /// <param name="key">The gate key of its call, or <see langword="null"/> to use <paramref name="name"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="gate"/> is <see langword="null"/>.</exception>
    public GatedExtractor(string name, CallGate gate, string? key = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(gate);
        Name = name;
        Gate = gate;
        Key = key ?? name;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>Gets the gate the call waits on.</summary>
    public CallGate Gate { get; }

    /// <summary>Gets the gate key of the call.</summary>
    public string Key { get; }

    /// <summary>Gets tokens the call publishes as a provisional result as soon as it starts, before it waits on the
    /// gate, or <see langword="null"/> for none. A copy is published, so one object can serve several calls.</summary>
    public JsonObject? Provisional { get; init; }

    /// <summary>Gets a function that makes the final tokens once the call is released, or <see langword="null"/> for
    /// <c>{ "name": true }</c>. It may use the context, for example to ask for an artifact or read a dependency.</summary>
    public Func<ExtractionContext, CancellationToken, ValueTask<JsonObject>>? Result { get; init; }

    /// <summary>Gets the usage the call reports.</summary>
    public ProviderUsage Usage { get; init; }

    /// <summary>Gets how many times <see cref="ExtractAsync"/> has been called.</summary>
    public int CallCount => Volatile.Read(ref _callCount);

    /// <inheritdoc/>
    public async Task<ExtractorOutput> ExtractAsync(ExtractionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        Interlocked.Increment(ref _callCount);
        if (Provisional is not null)
        {
            context.PublishProvisional(Provisional.DeepClone().AsObject());
        }

        await Gate.EnterAsync(Key, cancellationToken).ConfigureAwait(false);
        var tokens = Result is null
            ? new JsonObject { [Name] = true }
            : await Result(context, cancellationToken).ConfigureAwait(false);
        return new ExtractorOutput(tokens, Usage);
    }
}
