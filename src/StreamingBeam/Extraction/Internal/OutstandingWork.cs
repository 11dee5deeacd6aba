namespace StreamingBeam.Extraction.Internal;

/// <summary>Counts the work a run has started and not seen end (the first pump, each extractor call, each artifact
/// computation; calls abandoned after a timeout or a cancellation are in <see cref="Concurrency.AbandonedCalls"/>), so the run can wait until none is left.</summary>
/// <remarks>Starts at one, the run's own hold, which <see cref="ExtractionRun.StopAndDrainAsync"/> releases: the count
/// cannot reach zero while the run may still start work.</remarks>
internal sealed class OutstandingWork
{
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count = 1;

    /// <summary>Gets a task that completes when every piece of work, and the run's hold, has been released.</summary>
    public Task Drained => _drained.Task;

    public void Add() => Interlocked.Increment(ref _count);

    public void Release()
    {
        if (Interlocked.Decrement(ref _count) == 0)
        {
            _drained.TrySetResult();
        }
    }
}
