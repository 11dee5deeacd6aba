using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StreamingBeam.Beam.Internal;
using System.Diagnostics.Metrics;
using StreamingBeam.Concurrency;
using StreamingBeam.Diagnostics;
using StreamingBeam.Validation;

namespace StreamingBeam;

/// <summary>Runs streaming beam searches: every candidate advances through its own lane (expand, combine, render, score)
/// the moment its own inputs are ready, and waits for other lanes only at the ranking between iterations.</summary>
/// <remarks>
/// <para>
/// The engine is thread-safe and meant to be shared (a singleton in dependency injection): the concurrency limits in
/// <see cref="BeamEngineOptions"/> hold across every search it runs.
/// </para>
/// <para>
/// Cancellation: the token given to a search method and the one given through
/// <see cref="TaskAsyncEnumerableExtensions.WithCancellation{T}(IAsyncEnumerable{T}, CancellationToken)"/> both cancel every
/// provider call in flight, and the stream then ends with <see cref="OperationCanceledException"/>, never with a normal,
/// shorter end. Leaving <c>await foreach</c> early disposes the stream, which cancels and awaits all work in flight: when
/// disposal returns, no provider call of the search is still running (provided providers honour their tokens).
/// </para>
/// </remarks>
public sealed class BeamSearchEngine : IBeamSearchEngine
{
    /// <summary>Initializes a new instance of the <see cref="BeamSearchEngine"/> class.</summary>
    /// <param name="llm">Writes, combines, critiques and refines prompts.</param>
    /// <param name="imageGenerator">Renders images.</param>
    /// <param name="scorer">Scores images.</param>
    /// <param name="options">Engine settings, or <see langword="null"/> for the defaults.</param>
    /// <param name="loggerFactory">Creates the engine's logger, or <see langword="null"/> for no logging.</param>
    /// <param name="timeProvider">Measures elapsed time, timeouts and retry delays, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="checkpointStore">Keeps the checkpoints of searches that set <see cref="BeamSearchOptions.CheckpointId"/>,
    /// and serves <see cref="ResumeStreamingAsync"/>; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException">A provider is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid; the message lists every broken rule.</exception>
    public BeamSearchEngine(
        ILlmClient llm,
        IImageGenerator imageGenerator,
        IVisionScorer scorer,
        BeamEngineOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        IBeamCheckpointStore? checkpointStore = null)
        : this(llm, imageGenerator, scorer, options, loggerFactory, timeProvider, checkpointStore, meterFactory: null)
    {
    }

    /// <summary>The constructor dependency injection uses: metrics go to the container's <see cref="IMeterFactory"/>.</summary>
    internal BeamSearchEngine(
        ILlmClient llm,
        IImageGenerator imageGenerator,
        IVisionScorer scorer,
        BeamEngineOptions? options,
        ILoggerFactory? loggerFactory,
        TimeProvider? timeProvider,
        IBeamCheckpointStore? checkpointStore,
        IMeterFactory? meterFactory)
    {
        ArgumentNullException.ThrowIfNull(llm);
        ArgumentNullException.ThrowIfNull(imageGenerator);
        ArgumentNullException.ThrowIfNull(scorer);
        options ??= new BeamEngineOptions();
        options.Validate();

        Llm = llm;
        ImageGenerator = imageGenerator;
        Scorer = scorer;
        DefaultSearch = options.DefaultSearch.Clone();
        AbandonedCallGrace = options.AbandonedCallGrace;
        Logger = (ILogger?)loggerFactory?.CreateLogger<BeamSearchEngine>() ?? NullLogger.Instance;
        TimeProvider = timeProvider ?? TimeProvider.System;
        LlmGate = new ProviderGate(options.MaxConcurrentLlmCalls, options.LlmRateLimiter, "BeamEngineOptions.LlmRateLimiter", TimeProvider);
        ImageGate = new ProviderGate(options.MaxConcurrentImageGenerations, options.ImageRateLimiter, "BeamEngineOptions.ImageRateLimiter", TimeProvider);
        ScoringGate = new ProviderGate(options.MaxConcurrentScoringCalls, options.ScoringRateLimiter, "BeamEngineOptions.ScoringRateLimiter", TimeProvider);
        CheckpointStore = checkpointStore;
        Metrics = StreamingBeamMetrics.For(meterFactory);
    }

    internal ILlmClient Llm { get; }

    internal IImageGenerator ImageGenerator { get; }

    internal IVisionScorer Scorer { get; }

    internal BeamSearchOptions DefaultSearch { get; }

    /// <summary>Gets what every language-model call of the engine passes: slot, rate permit, shared cooldown.</summary>
    internal ProviderGate LlmGate { get; }

    /// <summary>Gets what every image generation of the engine passes.</summary>
    internal ProviderGate ImageGate { get; }

    /// <summary>Gets what every scoring call of the engine passes.</summary>
    internal ProviderGate ScoringGate { get; }

    internal AsyncLimiter? LlmLimiter => LlmGate.Slots;

    internal AsyncLimiter? ImageLimiter => ImageGate.Slots;

    internal AsyncLimiter? ScoringLimiter => ScoringGate.Slots;

    internal TimeSpan AbandonedCallGrace { get; }

    internal ILogger Logger { get; }

    internal TimeProvider TimeProvider { get; }

    internal IBeamCheckpointStore? CheckpointStore { get; }

    internal StreamingBeamMetrics Metrics { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="prompt"/> is empty or white space, or <paramref name="options"/>
    /// is invalid (the message lists every broken rule). Thrown at the call, before enumeration.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="prompt"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// <para>
    /// The stream throws <see cref="BeamSearchException"/> at its end when no candidate was ever scored, after delivering
    /// every failure event, and <see cref="OperationCanceledException"/> when canceled. Any other failure of a provider is
    /// delivered as a <see cref="CandidateFailedEvent"/> and the search goes on.
    /// </para>
    /// <para>See <see cref="BeamEvent"/> for the order in which events arrive.</para>
    /// </remarks>
    public IAsyncEnumerable<BeamEvent> SearchStreamingAsync(string prompt, BeamSearchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prompt);
        var snapshot = (options ?? DefaultSearch).Clone();
        snapshot.Validate();
        if (snapshot.CheckpointId is not null)
        {
            if (CheckpointStore is { } store)
            {
                // An id the store cannot use is refused now, not discovered after a search that saved nothing.
                BeamCheckpointIds.ThrowIfInvalid(store, snapshot);
            }
            else
            {
                ValidationErrors.ThrowIfAny(
                    ["CheckpointId is set but the engine has no checkpoint store; pass an IBeamCheckpointStore to the engine (or register one before AddStreamingBeam)."],
                    "beam search options",
                    nameof(options));
            }
        }

        return new StoppableStream<BeamEvent>(StreamAsync(writer => new BeamSearchRun(this, prompt, snapshot, writer), cancellationToken), cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="checkpointId"/> is empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="checkpointId"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The engine has no checkpoint store. Thrown at the call.</exception>
    /// <remarks>
    /// The stream throws <see cref="BeamCheckpointException"/> when the store has no checkpoint under
    /// <paramref name="checkpointId"/>, or one it cannot read; it never starts the search over. The resumed search
    /// continues from the last recorded ranking (or from the start) and keeps appending to the same journal. Every
    /// provider call recorded after that ranking is answered from the journal, not made again: no image already rendered
    /// is rendered again, no candidate already scored is scored again, and with deterministic providers the outcome
    /// (ids, prompts, scores, rankings, best, usage) equals an uninterrupted search's. Only calls that were in flight
    /// when the search was interrupted are made again. The events of the iterations after the ranking are delivered
    /// again, recorded candidates included.
    /// </remarks>
    public IAsyncEnumerable<BeamEvent> ResumeStreamingAsync(string checkpointId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(checkpointId);
        var store = CheckpointStore
            ?? throw new InvalidOperationException("The engine has no checkpoint store to resume from; pass an IBeamCheckpointStore to the engine.");
        BeamCheckpointIds.ThrowIfInvalid(store, checkpointId, nameof(checkpointId), nameof(checkpointId));
        return new StoppableStream<BeamEvent>(ResumeCoreAsync(store, checkpointId, cancellationToken), cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="checkpointId"/> is empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="checkpointId"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The engine has no checkpoint store.</exception>
    /// <exception cref="BeamCheckpointException">No readable checkpoint is saved under <paramref name="checkpointId"/>.</exception>
    /// <exception cref="BeamSearchException">No candidate was ever scored.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public Task<BeamSearchResult> ResumeAsync(string checkpointId, CancellationToken cancellationToken = default) =>
        OutcomeAsync(ResumeStreamingAsync(checkpointId, cancellationToken));

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="prompt"/> is empty or white space, or <paramref name="options"/> is invalid.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="prompt"/> is <see langword="null"/>.</exception>
    /// <exception cref="BeamSearchException">No candidate was ever scored.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public Task<BeamSearchResult> SearchAsync(string prompt, BeamSearchOptions? options = null, CancellationToken cancellationToken = default) =>
        OutcomeAsync(SearchStreamingAsync(prompt, options, cancellationToken));

    private static async Task<BeamSearchResult> OutcomeAsync(IAsyncEnumerable<BeamEvent> events)
    {
        await foreach (var e in events.ConfigureAwait(false))
        {
            if (e is SearchCompletedEvent completed)
            {
                return completed.Result;
            }
        }

        // The stream always ends with SearchCompletedEvent or an exception; reaching here is a bug in the engine.
        throw new InvalidOperationException("The beam search ended without a SearchCompletedEvent.");
    }


    private async IAsyncEnumerable<BeamEvent> ResumeCoreAsync(
        IBeamCheckpointStore store,
        string checkpointId,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var records = await store.LoadAsync(checkpointId, cancellationToken).ConfigureAwait(false)
            ?? throw new BeamCheckpointException($"No checkpoint is saved under '{checkpointId}'; there is nothing to resume.");
        // Whatever the store: the journal is checked record by record, and the checkpoint it folds into field by field,
        // before anything runs (null survivors, ids, prompts or images, an impossible iteration, negative counts...).
        var resumePoint = JournalReader.Read(checkpointId, records);
        var options = resumePoint.Checkpoint.Options.Clone();
        options.CheckpointId = checkpointId;
        await foreach (var e in StreamAsync(writer => new BeamSearchRun(this, resumePoint, options, writer), cancellationToken).ConfigureAwait(false))
        {
            yield return e;
        }
    }

    private static async IAsyncEnumerable<BeamEvent> StreamAsync(
        Func<ChannelWriter<BeamEvent>, BeamSearchRun> createRun,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<BeamEvent>(new UnboundedChannelOptions
        {
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });

        // An already-canceled token starts nothing: no run, no provider call.
        cancellationToken.ThrowIfCancellationRequested();
        using var runCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = createRun(channel.Writer);

        // The search runs off the consumer's thread so that providers' synchronous work never blocks a caller's
        // MoveNextAsync (or a UI thread), and so events can be produced while the consumer is busy with the last one.
        var runToken = runCancellation.Token;
        var driver = Task.Run(() => run.RunAsync(runToken), CancellationToken.None);
        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out var item))
                {
                    yield return item;
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            await driver.ConfigureAwait(false);
        }
        finally
        {
            // Reached on completion, on failure, and when the consumer leaves early: cancel whatever still runs and
            // wait for it, so that no provider call outlives the stream and no exception goes unobserved.
            await runCancellation.CancelAsync().ConfigureAwait(false);
            await driver.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
