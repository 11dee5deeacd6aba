using System.Threading.Channels;

namespace StreamingBeam.Extraction.Internal;

/// <summary>What a run hands its consumer, in the order outcomes are recorded: each update at once, or in
/// <see cref="ExtractionMode.Tiered"/> mode, each tier as one batch once the whole tier is settled.</summary>
/// <remarks>Guarded by the run's lock (every member ends in <c>Locked</c>), so delivery order, counts and the final flag
/// always agree with the run's state.</remarks>
internal sealed class RunOutbox
{
    private readonly Channel<ExtractionDelivery> _channel =
        Channel.CreateUnbounded<ExtractionDelivery>(new UnboundedChannelOptions { SingleReader = true });

    private readonly int[][] _tiers;
    private readonly int[] _tierRemaining;
    private readonly List<ExtractionUpdate> _tierBuffer = [];
    private int _currentTier;

    public RunOutbox(ExtractionPlan plan, bool tiered)
    {
        Tiered = tiered;
        _tiers = plan.Tiers;
        _tierRemaining = tiered ? [.. plan.Tiers.Select(t => t.Length)] : [];
    }

    public bool Tiered { get; }

    public ChannelReader<ExtractionDelivery> Reader => _channel.Reader;

    public void DeliverLocked(ExtractionUpdate update)
    {
        if (Tiered)
        {
            _tierBuffer.Add(update);
        }
        else
        {
            _channel.Writer.TryWrite(new ExtractionDelivery(update));
        }
    }

    /// <summary>Counts a settled extractor of tier <paramref name="tierIndex"/>; when that completes the tier, delivers it
    /// and returns the extractors of the next tier, whose turn it now is.</summary>
    public int[]? SettledLocked(int tierIndex)
    {
        if (!Tiered || --_tierRemaining[tierIndex] != 0)
        {
            return null;
        }

        FlushLocked();
        _currentTier++;
        return _currentTier < _tiers.Length ? _tiers[_currentTier] : null;
    }

    /// <summary>Delivers what a tier has buffered so far (a run that ends early still delivers what it settled).</summary>
    public void FlushLocked()
    {
        if (_tierBuffer.Count > 0)
        {
            _channel.Writer.TryWrite(new ExtractionDelivery(_tierBuffer.ToArray()));
            _tierBuffer.Clear();
        }
    }

    public void CompleteLocked() => _channel.Writer.TryComplete();
}
