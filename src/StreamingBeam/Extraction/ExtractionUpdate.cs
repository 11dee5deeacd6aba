using System.Text.Json.Nodes;

namespace StreamingBeam;

/// <summary>One extractor's result as an extraction run delivers it.</summary>
/// <remarks>
/// <para>
/// A run delivers exactly one update with a status other than <see cref="ExtractionStatus.Provisional"/> for every
/// registered extractor, unless the run ends early (the consumer stops reading, the stop condition is met, the
/// caller cancels, or a required extractor fails). Provisional updates, if any, come before their extractor's
/// final update.
/// </para>
/// <para>
/// <see cref="Completed"/> grows by one with every non-provisional update, in delivery order, so the last update of
/// a run that was not ended early has <see cref="Completed"/> equal to <see cref="Total"/> and
/// <see cref="IsFinal"/> set.
/// </para>
/// </remarks>
public sealed class ExtractionUpdate
{
    /// <summary>Gets the name of the extractor this update is about.</summary>
    public required string ExtractorName { get; init; }

    /// <summary>Gets how the extractor ended, or <see cref="ExtractionStatus.Provisional"/> for an early result.</summary>
    public ExtractionStatus Status { get; init; }

    /// <summary>Gets the extractor's tokens when <see cref="Status"/> is <see cref="ExtractionStatus.Succeeded"/> or
    /// <see cref="ExtractionStatus.Provisional"/>; otherwise <see langword="null"/>.</summary>
    /// <remarks>The object is shared with the run and with dependent extractors: read it, copy it, or merge it
    /// with <see cref="TokenDocument"/> (which copies), but do not change it.</remarks>
    public JsonObject? Tokens { get; init; }

    /// <summary>Gets the error when <see cref="Status"/> is <see cref="ExtractionStatus.Failed"/> (what the extractor
    /// threw) or <see cref="ExtractionStatus.TimedOut"/> (a <see cref="TimeoutException"/>); otherwise
    /// <see langword="null"/>.</summary>
    public Exception? Error { get; init; }

    /// <summary>Gets why the extractor was skipped, or <see cref="ExtractionSkipReason.None"/>.</summary>
    public ExtractionSkipReason SkipReason { get; init; }

    /// <summary>Gets the time from the start of the run to the moment the extractor finished (or published this
    /// provisional result), measured with the engine's <see cref="TimeProvider"/>.</summary>
    /// <remarks>In <see cref="ExtractionMode.Tiered"/> mode the update is delivered when its whole tier is done,
    /// which can be later than <see cref="Elapsed"/>.</remarks>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Gets how many extractors of the run have reported, this one included (a provisional update does not
    /// count).</summary>
    public int Completed { get; init; }

    /// <summary>Gets how many extractors the run has in all.</summary>
    public int Total { get; init; }

    /// <summary>Gets a value indicating whether this is the last update of the run: every extractor has reported
    /// (<see cref="Completed"/> equals <see cref="Total"/>).</summary>
    public bool IsFinal { get; init; }

    /// <summary>Gets the cost charged to the run's budget for this extractor: its <see cref="ExtractorOptions.Cost"/>
    /// when it was called, zero when it was skipped and for provisional updates.</summary>
    public decimal Cost { get; init; }

    /// <summary>Gets the extractor's <see cref="ExtractorOptions.Weight"/>, which <see cref="TokenDocument"/> uses to
    /// settle conflicting values.</summary>
    public double Weight { get; init; }

    /// <summary>Gets what the extractor reported it consumed (see <see cref="ExtractorOutput.Usage"/>); zero unless
    /// <see cref="Status"/> is <see cref="ExtractionStatus.Succeeded"/>.</summary>
    public ProviderUsage Usage { get; init; }

    /// <summary>Gets a value indicating whether this is a provisional result that a final update will follow.</summary>
    public bool IsProvisional => Status == ExtractionStatus.Provisional;

    /// <inheritdoc/>
    public override string ToString() => $"{ExtractorName}: {Status} ({Completed}/{Total}{(IsFinal ? ", final" : string.Empty)})";
}
