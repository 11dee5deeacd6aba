using Microsoft.Extensions.Time.Testing;

namespace StreamingBeam.Tests.Faults;

/// <summary>Builds the engines and options of every beam fault test from one place, and runs searches.</summary>
/// <remarks>
/// Every beam fault test is a theory whose first parameter names an engine variant. To run the whole suite under
/// another engine configuration (for example certain-survivor promotion on and off), add an entry to
/// <see cref="Variants"/>: each test then runs once per variant.
/// </remarks>
internal static class BeamFaultScenario
{
    public const string Prompt = "a lighthouse at dusk";

    /// <summary>A safety limit so that a broken engine fails a test instead of hanging the run; nothing asserts on time.</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private static readonly Dictionary<string, (Action<BeamEngineOptions> Engine, Action<BeamSearchOptions> Search)> Variants = new(StringComparer.Ordinal)
    {
        ["promoted"] = (_ => { }, search => search.PromoteCertainSurvivors = true),
        ["strict-barrier"] = (_ => { }, search => search.PromoteCertainSurvivors = false),
    };

    public static IEnumerable<string> VariantNames => Variants.Keys;

    /// <summary>Gets theory rows: one per engine variant.</summary>
    public static TheoryData<string> AllVariants()
    {
        var data = new TheoryData<string>();
        foreach (var name in Variants.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    /// <summary>Gets theory rows: every row of <paramref name="rows"/> once per engine variant, the variant first.</summary>
    public static IEnumerable<object[]> WithVariants(IEnumerable<object[]> rows)
    {
        var materialized = rows.ToArray();
        return from name in Variants.Keys from row in materialized select new object[] { name }.Concat(row).ToArray();
    }

    /// <summary>Gets the search options of a fault test: width 4, keep 2, two iterations (so both critique/refine
    /// stages run), then <paramref name="configure"/>, then the variant.</summary>
    public static BeamSearchOptions Options(string variant, Action<BeamSearchOptions>? configure = null)
    {
        var options = new BeamSearchOptions { BeamWidth = 4, KeepTop = 2, MaxIterations = 2 };
        configure?.Invoke(options);
        Variants[variant].Search(options);
        return options;
    }

    public static BeamSearchEngine Engine(
        string variant,
        FaultyBeamProviders providers,
        TimeProvider? time = null,
        Action<BeamEngineOptions>? configure = null,
        IBeamCheckpointStore? checkpointStore = null)
    {
        var options = new BeamEngineOptions();
        configure?.Invoke(options);
        Variants[variant].Engine(options);
        return new BeamSearchEngine(providers, providers, providers, options, timeProvider: time ?? new FakeTimeProvider(), checkpointStore: checkpointStore);
    }

    /// <summary>Runs one search to its end, or until the consumer has read <paramref name="stopAfter"/> events and
    /// leaves <c>await foreach</c>. Never throws: the stream's exception is captured in the result.</summary>
    public static async Task<BeamRun> RunAsync(
        BeamSearchEngine engine,
        BeamSearchOptions options,
        string prompt = Prompt,
        int? stopAfter = null,
        CancellationToken cancellationToken = default)
    {
        var read = StreamCapture.ReadAsync(engine.SearchStreamingAsync(prompt, options, cancellationToken), stopAfter);
        try
        {
            await read.WaitAsync(Guard, CancellationToken.None);
        }
        catch (TimeoutException ex) when (ex.Message.StartsWith("The operation has timed out", StringComparison.Ordinal))
        {
            Assert.Fail($"The search '{prompt}' did not end within the safety limit.");
        }

        var (events, error, stopped) = await read;
        return new BeamRun(prompt, options, events, error, stopped);
    }
}

/// <summary>What one search delivered and how its stream ended.</summary>
internal sealed record BeamRun(string Scope, BeamSearchOptions Options, IReadOnlyList<BeamEvent> Events, Exception? Error, bool StoppedByConsumer)
{
    public SearchCompletedEvent? Completed => Events.Count > 0 ? Events[^1] as SearchCompletedEvent : null;

    public IReadOnlyList<CandidateFailedEvent> Failures => Events.OfType<CandidateFailedEvent>().OrderBy(f => f.CandidateId, StringComparer.Ordinal).ToArray();

    public IReadOnlyList<BeamCandidate> Scored => Events.OfType<CandidateScoredEvent>().Select(e => e.Candidate).ToArray();

    /// <summary>Gets the outcome in a form that does not depend on timing, to compare runs.</summary>
    public string Summary()
    {
        var ending = Error is not null ? Error.GetType().Name : Completed is { } done
            ? $"{done.Result.StopReason} after {done.Result.Iterations}, best {done.Result.Best.Id} {done.Result.Best.Total:F6}, scored {done.Result.CandidatesScored}, failed {done.Result.CandidatesFailed}"
            : "no end";
        var failures = string.Join(", ", Failures.Select(f => $"{f.CandidateId}@{f.Stage}:{f.Exception.GetType().Name}"));
        var scored = string.Join(", ", Scored.Select(c => c.Id).Order(StringComparer.Ordinal));
        return $"{ending} | failed [{failures}] | scored [{scored}]";
    }
}
