using System.Text;

namespace StreamingBeam.Samples.Console.Beam;

/// <summary>
/// How far each iteration of a search is, lane by lane, as one line: <c>iteration 1 [●●●●◐◐·✗·] 4 scored, 1 failed,
/// 4 running</c> (iterations counted from 0, as in the events and the candidate ids). A lane is scored (●), failed (✗), rendered and being scored (◐), or still writing its prompt or
/// rendering (·). With certain-survivor promotion two iterations can be under way at once; both are shown.
/// </summary>
internal sealed class BeamProgress(int beamWidth)
{
    private readonly SortedDictionary<int, Dictionary<string, LaneState>> _iterations = [];
    private readonly HashSet<int> _completed = [];

    private enum LaneState
    {
        Rendered,
        Scored,
        Failed,
    }

    /// <summary>Records what an event says about its lane or its iteration.</summary>
    public void Observe(BeamEvent e)
    {
        switch (e)
        {
            case ImageGeneratedEvent image:
                Lanes(image.Iteration)[image.CandidateId] = LaneState.Rendered;
                break;
            case CandidateScoredEvent scored:
                Lanes(scored.Iteration)[scored.Candidate.Id] = LaneState.Scored;
                break;
            case CandidateFailedEvent failed:
                Lanes(failed.Iteration)[failed.CandidateId] = LaneState.Failed;
                break;
            case IterationCompletedEvent done:
                _completed.Add(done.Iteration);
                break;
            case SearchStartedEvent:
                Lanes(0);
                break;
        }
    }

    /// <summary>Gets the progress line of the iterations under way, or an empty string when none is.</summary>
    public string Render()
    {
        var parts = new List<string>();
        foreach (var (iteration, lanes) in _iterations)
        {
            if (_completed.Contains(iteration))
            {
                continue;
            }

            var scored = lanes.Values.Count(s => s == LaneState.Scored);
            var failed = lanes.Values.Count(s => s == LaneState.Failed);
            var rendered = lanes.Values.Count(s => s == LaneState.Rendered);
            var running = Math.Max(0, beamWidth - scored - failed);
            var bar = new StringBuilder()
                .Append('●', scored)
                .Append('✗', failed)
                .Append('◐', Math.Min(rendered, running))
                .Append('·', Math.Max(0, running - rendered));
            parts.Add($"iteration {iteration} [{bar}] {scored} scored, {failed} failed, {running} running");
        }

        return string.Join("  |  ", parts);
    }

    private Dictionary<string, LaneState> Lanes(int iteration)
    {
        if (!_iterations.TryGetValue(iteration, out var lanes))
        {
            lanes = [];
            _iterations[iteration] = lanes;
        }

        return lanes;
    }
}
