namespace StreamingBeam.Extraction.Internal;

/// <summary>What a run hands its consumer at once: one update, or a batch (a tier, or coalesced updates).</summary>
/// <remarks>A struct with a single-update case so that atomic runs allocate nothing per delivery beyond the update.</remarks>
internal readonly struct ExtractionDelivery
{
    private readonly ExtractionUpdate? _single;
    private readonly ExtractionUpdate[]? _many;

    public ExtractionDelivery(ExtractionUpdate single) => _single = single;

    public ExtractionDelivery(ExtractionUpdate[] many) => _many = many;

    public int Count => _many?.Length ?? 1;

    public ExtractionUpdate this[int index] => _many is null ? _single! : _many[index];

    public IReadOnlyList<ExtractionUpdate> ToList() => _many ?? [_single!];

    public ExtractionDelivery Take(int count) =>
        _many is null || count == _many.Length ? this : new ExtractionDelivery(_many[..count]);
}
