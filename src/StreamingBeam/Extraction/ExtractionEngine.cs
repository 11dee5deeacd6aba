using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StreamingBeam.Concurrency;
using StreamingBeam.Diagnostics;
using StreamingBeam.Extraction.Internal;

namespace StreamingBeam;

/// <summary>Runs many extractors over one input at once and streams each result the moment that extractor completes.</summary>
/// <remarks>
/// <para>
/// An engine is built once from its registrations, which it validates and copies, and is then immutable and
/// thread-safe: any number of runs may proceed at the same time, each with its own state, artifacts and options.
/// </para>
/// <para><b>Scheduling.</b> In <see cref="ExtractionMode.Atomic"/> mode every extractor starts as soon as its
/// dependencies are done (at once, for those without any), within <see cref="ExtractionRunOptions.MaxConcurrency"/>.
/// When more extractors are ready than the limit allows, higher <see cref="ExtractorOptions.Priority"/> starts first
/// and registration order breaks ties; without a limit, extractors are called in that same order. The engine calls
/// <see cref="IExtractor.ExtractAsync"/> directly from its scheduling thread, as <c>Task.WhenAll</c> over a list of
/// calls would: an extractor that does heavy synchronous work before its first <c>await</c> delays the ones after it,
/// so such work belongs in <see cref="Task.Run(Func{Task})"/>.</para>
/// <para><b>Ordering.</b> Updates are delivered in the order the engine records the extractors' outcomes, which is
/// the order they complete. An update is never held back for another extractor (except in
/// <see cref="ExtractionMode.Tiered"/> mode, by design, and within <see cref="ExtractionRunOptions.CoalesceWindow"/>
/// when coalescing is on). <see cref="ExtractionUpdate.Completed"/> increases by exactly one with each
/// non-provisional update, and a provisional update always comes before its extractor's final one.</para>
/// <para><b>Completion.</b> A run that is not ended early delivers exactly one non-provisional update per extractor;
/// the last of them has <see cref="ExtractionUpdate.IsFinal"/> set, and then the stream ends. Before the stream
/// ends, in every case, the engine cancels any extractor call and artifact computation still running and waits for
/// it to end (including a timed-out call that ignored its token), so no work of the run outlives its stream and no
/// exception goes unobserved.</para>
/// <para><b>Ending early.</b> Breaking out of <c>await foreach</c> (disposing the enumerator) and a true
/// <see cref="ExtractionRunOptions.StopWhen"/> end the stream normally and cancel the rest. Canceling the token given
/// to the method or through <see cref="TaskAsyncEnumerableExtensions.WithCancellation{T}(IAsyncEnumerable{T}, CancellationToken)"/>
/// cancels every call in flight and ends the stream with an <see cref="OperationCanceledException"/>, never with a
/// normal, shorter end. A failed <see cref="ExtractorOptions.Required"/> extractor ends the stream with a
/// <see cref="RequiredExtractorFailedException"/> after the updates that arrived before it, its own included.</para>
/// <para><b>Failure isolation.</b> An extractor that throws, times out, or needs an artifact whose preprocessor failed
/// is reported as <see cref="ExtractionStatus.Failed"/> or <see cref="ExtractionStatus.TimedOut"/>; the others go on.
/// Its dependents are reported as <see cref="ExtractionStatus.Skipped"/>.</para>
/// </remarks>
public sealed class ExtractionEngine : IExtractionEngine
{
    private readonly ExtractionPlan _plan;
    private readonly ExtractionRunSettings _defaults;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly StreamingBeamMetrics _metrics;

    /// <summary>Initializes a new instance of the <see cref="ExtractionEngine"/> class.</summary>
    /// <param name="extractors">The extractors and their options. Names must be unique; dependencies must name
    /// registered extractors, form no cycle, and not sit in a later tier than their dependents.</param>
    /// <param name="preprocessors">The preprocessors of shared artifacts, or <see langword="null"/> for none.</param>
    /// <param name="defaultRunOptions">The options of runs that are given none, or <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock for elapsed times, timeouts and coalescing, or <see langword="null"/> for
    /// <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Creates the engine's logger, or <see langword="null"/> for no logging.</param>
    /// <exception cref="ArgumentNullException"><paramref name="extractors"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">A registration or a default option is invalid. The exception lists
    /// every problem found (<see cref="OptionsValidationException.Failures"/>), each naming the extractor, the option
    /// and the rule.</exception>
    public ExtractionEngine(
        IEnumerable<ExtractorRegistration> extractors,
        IEnumerable<PreprocessorRegistration>? preprocessors = null,
        ExtractionRunOptions? defaultRunOptions = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
        : this(extractors, preprocessors, defaultRunOptions, timeProvider, loggerFactory, meterFactory: null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ExtractionEngine"/> class whose instruments belong to
    /// <paramref name="meterFactory"/>'s meter (dependency injection passes the container's), or to the process-wide
    /// meter when it is <see langword="null"/>.</summary>
    internal ExtractionEngine(
        IEnumerable<ExtractorRegistration> extractors,
        IEnumerable<PreprocessorRegistration>? preprocessors,
        ExtractionRunOptions? defaultRunOptions,
        TimeProvider? timeProvider,
        ILoggerFactory? loggerFactory,
        IMeterFactory? meterFactory)
    {
        ArgumentNullException.ThrowIfNull(extractors);
        defaultRunOptions ??= new ExtractionRunOptions();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _plan = ExtractionPlan.Create(extractors, preprocessors, defaultRunOptions, _timeProvider);
        _defaults = ExtractionRunSettings.From(defaultRunOptions);
        _logger = (ILogger?)loggerFactory?.CreateLogger<ExtractionEngine>() ?? NullLogger.Instance;
        _metrics = StreamingBeamMetrics.For(meterFactory);
        ExtractorNames = Array.AsReadOnly(_plan.Extractors.Select(e => e.Name).ToArray());
    }

    /// <summary>Gets the rate-limit gate of one extractor, shared by every run (tests watch its cooldown).</summary>
    internal Concurrency.ProviderGate GateOf(string extractorName) => _plan.Extractors.First(e => e.Name == extractorName).Gate;

    /// <summary>Gets the names of the registered extractors, in registration order.</summary>
    public IReadOnlyList<string> ExtractorNames { get; }

    /// <summary>Runs every extractor over <paramref name="input"/> and streams one update per extractor, in
    /// completion order.</summary>
    /// <param name="input">The input every extractor analyses.</param>
    /// <param name="options">This run's options, or <see langword="null"/> for the engine's defaults.</param>
    /// <param name="cancellationToken">Cancels the run: every call in flight is canceled and the stream ends with
    /// <see cref="OperationCanceledException"/>.</param>
    /// <returns>The updates. The run starts when enumeration starts; each enumeration is a new run.</returns>
    /// <remarks>See <see cref="ExtractionEngine"/> for the ordering and completion guarantees. Updates that the run
    /// delivers together (a tier, or a coalesced batch) are yielded one after another.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException"><paramref name="options"/> is invalid; the exception lists every problem.</exception>
    public IAsyncEnumerable<ExtractionUpdate> ExtractStreamingAsync(ExtractionInput input, ExtractionRunOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new StoppableStream<ExtractionUpdate>(RunUpdatesAsync(input, GetSettings(options), cancellationToken), cancellationToken);
    }

    /// <summary>Runs every extractor over <paramref name="input"/> and streams the updates in the batches the run
    /// delivers them: one update per batch in <see cref="ExtractionMode.Atomic"/> mode, one tier per batch in
    /// <see cref="ExtractionMode.Tiered"/> mode, and the updates gathered within
    /// <see cref="ExtractionRunOptions.CoalesceWindow"/> when coalescing is on.</summary>
    /// <param name="input">The input every extractor analyses.</param>
    /// <param name="options">This run's options, or <see langword="null"/> for the engine's defaults.</param>
    /// <param name="cancellationToken">Cancels the run: every call in flight is canceled and the stream ends with
    /// <see cref="OperationCanceledException"/>.</param>
    /// <returns>The batches, never empty. The run starts when enumeration starts; each enumeration is a new run.</returns>
    /// <remarks>See <see cref="ExtractionEngine"/> for the ordering and completion guarantees; updates within a batch
    /// are in completion order.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException"><paramref name="options"/> is invalid; the exception lists every problem.</exception>
    public IAsyncEnumerable<IReadOnlyList<ExtractionUpdate>> ExtractBatchesStreamingAsync(ExtractionInput input, ExtractionRunOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new StoppableStream<IReadOnlyList<ExtractionUpdate>>(RunBatchesCoreAsync(input, GetSettings(options), cancellationToken), cancellationToken);
    }

    private ExtractionRunSettings GetSettings(ExtractionRunOptions? options)
    {
        if (options is null)
        {
            return _defaults;
        }

        var settings = ExtractionRunSettings.From(options);
        var errors = new List<string>();
        options.Validate(errors);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(ExtractionRunOptions), errors);
        }

        return settings;
    }

    private async IAsyncEnumerable<ExtractionUpdate> RunUpdatesAsync(ExtractionInput input, ExtractionRunSettings settings,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var delivery in RunCoreAsync(input, settings, cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < delivery.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return delivery[i];
            }
        }
    }

    private async IAsyncEnumerable<IReadOnlyList<ExtractionUpdate>> RunBatchesCoreAsync(ExtractionInput input, ExtractionRunSettings settings,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var delivery in RunCoreAsync(input, settings, cancellationToken).ConfigureAwait(false))
        {
            yield return delivery.ToList();
        }
    }

    private IAsyncEnumerable<ExtractionDelivery> RunCoreAsync(ExtractionInput input, ExtractionRunSettings settings,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var run = new ExtractionRun(_plan, input, settings, _timeProvider, _logger, _metrics, cancellationToken);
        return DeliveryStream.ReadAsync(run, settings, _timeProvider, _logger, cancellationToken);
    }
}
