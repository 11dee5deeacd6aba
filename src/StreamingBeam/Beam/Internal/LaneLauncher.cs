using System.Diagnostics;
using StreamingBeam.Diagnostics;

namespace StreamingBeam.Beam.Internal;

/// <summary>Starts a search's work (iterations, lanes, critiques) and keeps every task it started, so the run can stop
/// and await all of it before its stream ends.</summary>
/// <remarks>Used by the driver alone. Iterations overlap under promotion, so spans are parented explicitly and the
/// driver's ambient span is restored after each start.</remarks>
internal sealed class LaneLauncher(BeamRunContext context)
{
    private readonly List<Task> _work = [];
    private readonly CandidateLanes _lanes = new(context);

    /// <summary>Gets or sets the search's span, the parent of every iteration's.</summary>
    public ActivityContext SearchSpan { get; set; }

    /// <summary>Creates an iteration and its span.</summary>
    public IterationRun NewIteration(int number)
    {
        var ambient = Activity.Current;
        var span = BeamTelemetry.StartIteration(number, SearchSpan);
        Activity.Current = ambient;
        return new IterationRun(number, span);
    }

    /// <summary>Starts the N independent lanes of iteration 0.</summary>
    public void StartRoots(IterationRun run, CancellationToken cancellationToken)
    {
        for (var index = 0; index < context.Options.BeamWidth; index++)
        {
            _work.Add(_lanes.RunRootAsync(run, index, cancellationToken));
        }
    }

    /// <summary>Starts a parent's critique for iteration <paramref name="run"/>; its children share it.</summary>
    public Task<LlmResponse> StartCritique(IterationRun run, BeamCandidate parent, PromptDimension dimension, CancellationToken cancellationToken)
    {
        // The critique serves all of a parent's children, so its call's span sits under the iteration, not a candidate.
        var ambient = Activity.Current;
        Activity.Current = run.Span ?? ambient;
        var critique = _lanes.CritiqueAsync(run, parent, dimension, cancellationToken);
        Activity.Current = ambient;
        _work.Add(critique);
        return critique;
    }

    /// <summary>Starts child <paramref name="child"/> of <paramref name="parent"/>, which refines as soon as the critique is done.</summary>
    public void StartChild(
        IterationRun run, BeamCandidate parent, int child, PromptDimension dimension, Task<LlmResponse> critique, CancellationToken cancellationToken) =>
        _work.Add(_lanes.RunChildAsync(run, parent, child, dimension, critique, cancellationToken));

    /// <summary>Waits for everything started, observing every exception (only cancellation and bugs can be there).</summary>
    public Task WhenAllStoppedAsync() => Task.WhenAll(_work);
}
