using System.Diagnostics.CodeAnalysis;

namespace StreamingBeam.Beam.Internal;

/// <summary>The provider calls a resumed search does not make again: the answers the journal recorded after the ranking
/// it resumes from, by <see cref="StepKey"/>.</summary>
/// <remarks>Lanes take from it concurrently, each its own keys; an answer is taken once, and a key recorded twice answers
/// its calls in the order they were recorded. Empty for a search that is not resumed.</remarks>
internal sealed class ResumePlan
{
    public static readonly ResumePlan Empty = new([]);

    private readonly object _lock = new();
    private readonly Dictionary<StepKey, Queue<StepRecord>> _steps = [];
    private int _remaining;

    public ResumePlan(IEnumerable<StepRecord> steps)
    {
        foreach (var step in steps)
        {
            if (!_steps.TryGetValue(step.Key, out var queue))
            {
                _steps[step.Key] = queue = new Queue<StepRecord>(1);
            }

            queue.Enqueue(step);
            _remaining++;
        }
    }

    /// <summary>Gets how many recorded answers have not been taken yet.</summary>
    public int Remaining => Volatile.Read(ref _remaining);

    public bool TryTake(StepKey key, [NotNullWhen(true)] out StepRecord? step)
    {
        step = null;
        if (Volatile.Read(ref _remaining) == 0)
        {
            return false;
        }

        lock (_lock)
        {
            if (!_steps.TryGetValue(key, out var queue) || !queue.TryDequeue(out step))
            {
                return false;
            }

            _remaining--;
            return true;
        }
    }
}
