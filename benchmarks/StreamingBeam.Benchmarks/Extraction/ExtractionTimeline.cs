using System.Collections.Concurrent;
using System.Diagnostics;

namespace StreamingBeam.Benchmarks.Extraction;

/// <summary>When each extractor of one run completed and when its update reached the consumer, from the run's start.</summary>
internal sealed class ExtractionTimeline
{
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<ExtractionTimeline>> Runs = new(StringComparer.Ordinal);

    public ExtractionTimeline(
        IReadOnlyDictionary<string, TimeSpan> started,
        IReadOnlyDictionary<string, TimeSpan> completed,
        IReadOnlyDictionary<string, TimeSpan> received,
        IReadOnlyList<string> order)
    {
        Started = started;
        Completed = completed;
        Received = received;
        Order = order;
    }

    /// <summary>Gets when the engine called each extractor.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Started { get; }

    /// <summary>Gets when each extractor's own call completed.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Completed { get; }

    /// <summary>Gets when the consumer received each extractor's update.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Received { get; }

    /// <summary>Gets the extractor names in the order the consumer received them.</summary>
    public IReadOnlyList<string> Order { get; }

    /// <summary>Gets when the first update was received.</summary>
    public TimeSpan First => Received[Order[0]];

    /// <summary>Gets when the last update was received.</summary>
    public TimeSpan Last => Received[Order[^1]];

    /// <summary>Gets how long after the start of the run the engine called the extractor whose result came first.</summary>
    public TimeSpan FirstDispatch => Started[Order[0]];

    /// <summary>Gets how long the call of the extractor whose result came first took (its timer).</summary>
    public TimeSpan FirstCall => Completed[Order[0]] - Started[Order[0]];

    /// <summary>Gets how long after its extractor completed the first update reached the consumer.</summary>
    public TimeSpan FirstDeliveryLag => Received[Order[0]] - Completed[Order[0]];

    public static void Add(string mode, ExtractionTimeline timeline) =>
        Runs.GetOrAdd(mode, _ => new ConcurrentQueue<ExtractionTimeline>()).Enqueue(timeline);

    public static IReadOnlyList<ExtractionTimeline> Of(string mode) =>
        Runs.TryGetValue(mode, out var runs) ? runs.ToArray() : [];

    /// <summary>Collects one run's times; thread-safe, since extractors complete on timer threads.</summary>
    internal sealed class Recorder
    {
        private readonly ConcurrentDictionary<string, TimeSpan> _started = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, TimeSpan> _completed = new(StringComparer.Ordinal);
        private readonly Dictionary<string, TimeSpan> _received = new(StringComparer.Ordinal);
        private readonly List<string> _order = [];
        private long _start;

        public void Start()
        {
            _started.Clear();
            _completed.Clear();
            _received.Clear();
            _order.Clear();
            _start = Stopwatch.GetTimestamp();
        }

        public void Started(string name) => _started[name] = Stopwatch.GetElapsedTime(_start);

        public void Completed(string name) => _completed[name] = Stopwatch.GetElapsedTime(_start);

        public void Received(string name)
        {
            _received[name] = Stopwatch.GetElapsedTime(_start);
            _order.Add(name);
        }

        public ExtractionTimeline Finish() =>
            new(
                new Dictionary<string, TimeSpan>(_started, StringComparer.Ordinal),
                new Dictionary<string, TimeSpan>(_completed, StringComparer.Ordinal), new Dictionary<string, TimeSpan>(_received, StringComparer.Ordinal), _order.ToArray());
    }
}
