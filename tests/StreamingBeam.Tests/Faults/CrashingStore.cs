using StreamingBeam.Beam.Internal;

namespace StreamingBeam.Tests.Faults;

/// <summary>A checkpoint store that dies with its search: with a <see cref="Turnstile"/>, it keeps what is saved up to
/// and including the k-th step record and nothing after it, as a process killed right after that save would.</summary>
internal sealed class CrashingStore(IBeamCheckpointStore inner, Turnstile? turnstile) : IBeamCheckpointStore
{
    private bool _dead;

    public ValueTask CreateAsync(string checkpointId, ReadOnlyMemory<byte> firstRecord, CancellationToken cancellationToken = default) =>
        _dead ? ValueTask.CompletedTask : inner.CreateAsync(checkpointId, firstRecord, cancellationToken);

    public async ValueTask AppendAsync(string checkpointId, IReadOnlyList<ReadOnlyMemory<byte>> records, CancellationToken cancellationToken = default)
    {
        if (_dead)
        {
            return;
        }

        if (turnstile is null)
        {
            await inner.AppendAsync(checkpointId, records, cancellationToken);
            return;
        }

        var isStep = records.Select(r => JournalCodec.Decode(r, 1, checkpointId) is StepRecord).ToArray();
        var steps = isStep.Count(s => s);
        var allowed = turnstile.Allowance(steps);
        var kept = new List<ReadOnlyMemory<byte>>();
        var keptSteps = 0;
        for (var i = 0; i < records.Count && !(keptSteps == allowed && allowed < steps); i++)
        {
            kept.Add(records[i]);
            keptSteps += isStep[i] ? 1 : 0;
        }

        if (kept.Count > 0)
        {
            await inner.AppendAsync(checkpointId, kept, cancellationToken);
        }

        _dead = allowed < steps;
        turnstile.Saved(allowed);
        _dead |= turnstile.Killed.IsCompleted;
    }

    public ValueTask<IReadOnlyList<ReadOnlyMemory<byte>>?> LoadAsync(string checkpointId, CancellationToken cancellationToken = default) =>
        inner.LoadAsync(checkpointId, cancellationToken);

    public bool IsValidCheckpointId(string checkpointId, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? reason) => inner.IsValidCheckpointId(checkpointId, out reason);
}
