using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using StreamingBeam.Concurrency;
using StreamingBeam.Diagnostics;

namespace StreamingBeam.Beam.Internal;

/// <summary>What every part of one search reads: the engine's providers and limits, the search's prompt and options,
/// its clock, telemetry and ledger, and the two channels (events to the consumer, outcomes to the driver).</summary>
/// <remarks>Immutable after construction except through the thread-safe members it holds (<see cref="Ledger"/>, the
/// channel writers, telemetry instruments), so lanes may use it from any thread.</remarks>
internal sealed class BeamRunContext
{
    private readonly ChannelWriter<BeamEvent> _events;
    private readonly long _startTimestamp;
    private readonly TimeSpan _elapsedBefore;

    public BeamRunContext(
        BeamSearchEngine engine,
        string prompt,
        BeamSearchOptions options,
        ChannelWriter<BeamEvent> events,
        TimeSpan elapsedBefore,
        ProviderUsage spentBefore,
        SearchJournal? journal = null,
        ResumePlan? plan = null)
    {
        Engine = engine;
        Prompt = prompt;
        Options = options;
        _events = events;
        Time = engine.TimeProvider;
        _startTimestamp = Time.GetTimestamp();
        _elapsedBefore = elapsedBefore;
        Telemetry = new BeamTelemetry(engine.Metrics, Time, _startTimestamp);
        Ledger = new RunLedger(spentBefore);
        Caller = new ProviderCaller(this);
        Journal = journal;
        Plan = plan ?? ResumePlan.Empty;
        Calls = new RecordedCalls(this);
    }

    public BeamSearchEngine Engine { get; }

    public string Prompt { get; }

    public BeamSearchOptions Options { get; }

    public TimeProvider Time { get; }

    public ILogger Logger => Engine.Logger;

    public BeamTelemetry Telemetry { get; }

    public RunLedger Ledger { get; }

    public ProviderCaller Caller { get; }

    /// <summary>Gets the search's checkpoint journal, or <see langword="null"/> when it saves no checkpoints.</summary>
    public SearchJournal? Journal { get; }

    /// <summary>Gets the calls a resumed search answers from its journal; empty otherwise.</summary>
    public ResumePlan Plan { get; }

    /// <summary>Gets how lanes call providers: through <see cref="Caller"/>, recorded in <see cref="Journal"/>, or
    /// answered from <see cref="Plan"/>.</summary>
    public RecordedCalls Calls { get; }

    /// <summary>Gets the prompts the search's candidates have claimed, so that none is rendered twice.</summary>
    public PromptRegistry Prompts { get; } = new();

    /// <summary>Gets the provider calls the search stopped waiting for (timed out, or ignoring cancellation).</summary>
    public AbandonedCalls Abandoned { get; } = new();

    /// <summary>Gets the lanes' outcomes, read by the driver alone.</summary>
    public Channel<LaneOutcome> Outcomes { get; } = Channel.CreateUnbounded<LaneOutcome>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    /// <summary>Gets the time since the search started, counting on from a checkpoint's when resumed.</summary>
    public TimeSpan Elapsed => _elapsedBefore + Time.GetElapsedTime(_startTimestamp);

    /// <summary>Publishes an event; with a journal, once every record appended before it is saved.</summary>
    public void Publish(BeamEvent e)
    {
        if (Journal is { } journal)
        {
            journal.Publish(e);
        }
        else
        {
            _events.TryWrite(e);
        }
    }

    public void CompleteEvents() => _events.TryComplete();

    /// <summary>Hands a lane's outcome (a scored candidate, or <see langword="null"/> for a failure) to the driver.</summary>
    public void Report(IterationRun iteration, BeamCandidate? candidate) => Outcomes.Writer.TryWrite(new LaneOutcome(iteration, candidate, Skipped: false));

    /// <summary>Tells the driver that a lane gave up its slot to a duplicate: nothing scored, nothing failed.</summary>
    public void ReportSkipped(IterationRun iteration) => Outcomes.Writer.TryWrite(new LaneOutcome(iteration, null, Skipped: true));
}

/// <summary>A lane's outcome as the driver receives it: a scored candidate, a failure (no candidate), or a slot given
/// up to a duplicate (<paramref name="Skipped"/>).</summary>
internal readonly record struct LaneOutcome(IterationRun Iteration, BeamCandidate? Candidate, bool Skipped);
