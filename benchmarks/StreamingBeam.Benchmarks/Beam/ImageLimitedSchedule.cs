using StreamingBeam.Beam.Internal;

namespace StreamingBeam.Benchmarks.Beam;

/// <summary>The engine's schedule replayed on the draws with zero overhead, with image calls held back by an
/// <see cref="ImageLimit"/> and served in an <see cref="ImageOrder"/>: a discrete-event simulation. Language-model and
/// scoring calls are not limited.</summary>
/// <remarks>
/// <para>
/// It follows the engine's rules as <see cref="PromotedSchedule"/> does (and with no limit gives exactly its bound, or
/// the strict bound without promotion): a lane combines when its prompts are written, asks for its image, is scored when
/// the image is done and arrives at the driver; the driver looks at iteration t only once iteration t - 1 is ranked;
/// after each arrival the best <c>M - running</c> of the ranking pool are certain (when the engine's own
/// <see cref="BeamStopRules"/> say the next iteration is certain), so their critique starts and their first <c>N / M</c>
/// children follow it; every other critique, and the children that depend on final ranks, start at the ranking.
/// </para>
/// <para>
/// What it adds is the image resource: a call that finds every slot taken (or the bucket empty) waits, and waiting calls
/// are served in the given order the moment a slot (or a token) is free. So it tells, without timers or noise, how long
/// the engine's schedule takes under a limit, and what another service order would change.
/// </para>
/// </remarks>
internal sealed class ImageLimitedSchedule
{
    private readonly BeamSearchOptions _options;
    private readonly IReadOnlyList<LaneDraw[]> _iterations;
    private readonly IReadOnlyDictionary<string, BeamCandidate> _candidates;
    private readonly ImageLimit _limit;
    private readonly ImageOrder _order;
    private readonly bool _promote;
    private readonly int _width;
    private readonly int _keep;
    private readonly int _certainChildren;
    private readonly Dictionary<(string ParentId, int Iteration), LaneDraw[]> _children;
    private readonly Iteration[] _state;
    private readonly PriorityQueue<Action, (TimeSpan At, long Seq)> _events = new();
    private readonly List<(LaneDraw Lane, TimeSpan Ready, long Seq)> _waiting = [];
    private readonly HashSet<string> _started = new(StringComparer.Ordinal);
    private readonly List<ImageSpan> _images = [];
    private readonly List<TimeSpan> _rankings = [];
    private readonly List<double> _bestTotals = [];
    private readonly Dictionary<string, TimeSpan> _ready = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeSpan> _imageStart = new(StringComparer.Ordinal);
    private long _seq;
    private TimeSpan _now;
    private int _busy;
    private double _level;
    private TimeSpan _levelAt;
    private TimeSpan? _wakeAt;
    private double? _bestTotal;
    private int _imagesRanked;

    private ImageLimitedSchedule(BeamDraws draws, ImageLimit limit, ImageOrder order, bool promote)
    {
        _options = draws.Options;
        _iterations = draws.Iterations;
        _candidates = draws.Candidates;
        _limit = limit;
        _order = order;
        _promote = promote;
        _width = _options.BeamWidth;
        _keep = _options.KeepTop;
        _certainChildren = BeamRanking.CertainChildren(_keep, _width);
        // A parent that survives two rankings (children and parents compete) has children in two iterations.
        _children = _iterations.Skip(1).SelectMany(lanes => lanes)
            .GroupBy(l => (l.ParentId!, l.Iteration))
            .ToDictionary(g => g.Key, g => g.ToArray());
        _state = _iterations.Select(_ => new Iteration()).ToArray();
        _level = limit.Burst;
    }

    /// <summary>Replays the search of <paramref name="draws"/> under <paramref name="limit"/>.</summary>
    /// <param name="draws">The draws (and the candidates the ranking sees).</param>
    /// <param name="limit">What holds image calls back.</param>
    /// <param name="order">The order waiting image calls are served in.</param>
    /// <param name="promote">Whether certain survivors are promoted (the engine's default), or the strict barrier.</param>
    public static ImageLimitedScheduleResult Run(BeamDraws draws, ImageLimit limit, ImageOrder order = ImageOrder.Fifo, bool promote = true)
    {
        var schedule = new ImageLimitedSchedule(draws, limit, order, promote);
        return schedule.Run();
    }

    private ImageLimitedScheduleResult Run()
    {
        foreach (var lane in _iterations[0])
        {
            At(lane.Prompt + lane.Combine, () => ImageReady(lane));
        }

        while (_events.TryDequeue(out var action, out var key))
        {
            _now = key.At;
            action();
        }

        if (_rankings.Count != _iterations.Count)
        {
            throw new InvalidOperationException($"The replay ranked {_rankings.Count} of {_iterations.Count} iterations.");
        }

        return new ImageLimitedScheduleResult(_rankings[^1], _rankings, _images);
    }

    private void At(TimeSpan at, Action action) => _events.Enqueue(action, (at, _seq++));

    private void ImageReady(LaneDraw lane)
    {
        _ready[lane.Id] = _now;
        _waiting.Add((lane, _now, _seq++));
        Dispatch();
    }

    private void Dispatch()
    {
        while (_waiting.Count > 0)
        {
            if (_limit.Concurrency is { } slots && _busy >= slots)
            {
                return;
            }

            if (_limit.PerSecond is { } rate)
            {
                var level = Math.Min(_limit.Burst, _level + (rate * (_now - _levelAt).TotalSeconds));
                if (level < 1 - 1e-9)
                {
                    var wake = _now + TimeSpan.FromTicks((long)Math.Ceiling((1 - level) / rate * TimeSpan.TicksPerSecond));
                    if (_wakeAt is null || wake < _wakeAt)
                    {
                        _wakeAt = wake;
                        At(wake, () =>
                        {
                            _wakeAt = null;
                            Dispatch();
                        });
                    }

                    return;
                }

                (_level, _levelAt) = (level - 1, _now);
            }

            var next = Next();
            var (lane, _, _) = _waiting[next];
            _waiting.RemoveAt(next);
            _busy++;
            _imageStart[lane.Id] = _now;
            At(_now + lane.Image, () => ImageDone(lane));
        }
    }

    private int Next()
    {
        var best = 0;
        for (var i = 1; i < _waiting.Count; i++)
        {
            if (Before(_waiting[i], _waiting[best]))
            {
                best = i;
            }
        }

        return best;
    }

    private bool Before((LaneDraw Lane, TimeSpan Ready, long Seq) a, (LaneDraw Lane, TimeSpan Ready, long Seq) b)
    {
        var byIteration = _order is ImageOrder.IterationFirst or ImageOrder.IterationFirstLongest;
        if (byIteration && a.Lane.Iteration != b.Lane.Iteration)
        {
            return a.Lane.Iteration < b.Lane.Iteration;
        }

        if (_order == ImageOrder.IterationFirstLongest && a.Lane.Image != b.Lane.Image)
        {
            return a.Lane.Image > b.Lane.Image;
        }

        if (_order == ImageOrder.LongestRemainingFirst && a.Lane.Image + a.Lane.Scores != b.Lane.Image + b.Lane.Scores)
        {
            return a.Lane.Image + a.Lane.Scores > b.Lane.Image + b.Lane.Scores;
        }

        return a.Ready < b.Ready || (a.Ready == b.Ready && a.Seq < b.Seq);
    }

    private void ImageDone(LaneDraw lane)
    {
        _busy--;
        _images.Add(new ImageSpan(lane, _ready[lane.Id], _imageStart[lane.Id], _now));
        Dispatch();
        At(_now + lane.Scores, () => Arrived(lane));
    }

    private void Arrived(LaneDraw lane)
    {
        if (lane.Iteration == 0 || _state[lane.Iteration - 1].Ranked is not null)
        {
            Take(lane);
        }
        else
        {
            // The driver looks at this iteration only once the previous one is ranked.
            _state[lane.Iteration].Early.Add(lane);
        }
    }

    /// <summary>The driver takes an arrival: it joins the pool, and certain survivors are promoted.</summary>
    private void Take(LaneDraw lane)
    {
        var t = lane.Iteration;
        var state = _state[t];
        var candidate = _candidates[lane.Id];
        state.Pool.Add(candidate);
        state.Taken++;
        _bestTotal = Math.Max(_bestTotal ?? double.NegativeInfinity, candidate.Total);
        var running = _width - state.Taken;
        if (_promote && running < _keep && running > 0 && BeamStopRules.NextIterationIsCertain(_options, Facts(t, running, state)))
        {
            var leaders = BeamRanking.SelectSurvivors(new List<BeamCandidate>(state.Pool), _keep);
            for (var rank = 0; rank < Math.Min(_keep - running, leaders.Count); rank++)
            {
                if (state.Promoted.Add(leaders[rank].Id))
                {
                    StartCritique(leaders[rank], t);
                }
            }
        }

        if (running == 0)
        {
            Rank(t);
        }
    }

    private RankingFacts Facts(int t, int running, Iteration state) => new()
    {
        Iteration = t,
        Running = running,
        Failed = 0,
        Rankable = state.Pool.Count,
        BestTotal = _bestTotal,
        EarlierBestTotals = _bestTotals,
        Images = _imagesRanked + state.Taken,
        Cost = 0m,
        IterationCost = 0m,
    };

    private void Rank(int t)
    {
        var state = _state[t];
        state.Ranked = _now;
        _rankings.Add(_now);
        var parents = BeamRanking.SelectSurvivors(state.Pool, _keep);
        _imagesRanked += _width;
        _bestTotals.Add(_bestTotal!.Value);
        if (state.Promoted.Any(id => !parents.Exists(p => p.Id == id)))
        {
            throw new InvalidOperationException("A promoted candidate did not survive: the certainty rule is wrong.");
        }

        if (t + 1 >= _iterations.Count)
        {
            return;
        }

        var next = _state[t + 1];
        if (_options.RankingPool == RankingPool.ChildrenAndParents)
        {
            next.Pool.AddRange(parents);
        }

        foreach (var parent in parents)
        {
            if (!state.Promoted.Contains(parent.Id))
            {
                StartCritique(parent, t);
            }
            else if (state.Critiqued.Contains(parent.Id))
            {
                StartChildren(parent.Id, t + 1, all: true);
            }
        }

        // Arrivals of the next iteration that came before this ranking, in the order they came.
        foreach (var lane in next.Early)
        {
            Take(lane);
        }

        next.Early.Clear();
    }

    /// <summary>Starts the critique of a survivor of iteration <paramref name="t"/> for its children in the next one.</summary>
    private void StartCritique(BeamCandidate parent, int t)
    {
        if (!_children.TryGetValue((parent.Id, t + 1), out var children))
        {
            return;
        }

        At(_now + children[0].Critique, () =>
        {
            var state = _state[t];
            state.Critiqued.Add(parent.Id);
            StartChildren(parent.Id, t + 1, all: state.Ranked is not null);
        });
    }

    /// <summary>Starts the refinements of a parent's children in iteration <paramref name="iteration"/> once its critique
    /// is done: all of them once the previous iteration is ranked, before that only the certain ones of a promoted parent.</summary>
    private void StartChildren(string parentId, int iteration, bool all)
    {
        foreach (var child in _children[(parentId, iteration)])
        {
            if ((all || child.VariantIndex < _certainChildren) && _started.Add(child.Id))
            {
                At(_now + child.Refine + child.Combine, () => ImageReady(child));
            }
        }
    }

    private sealed class Iteration
    {
        public List<BeamCandidate> Pool { get; } = [];

        public int Taken { get; set; }

        public TimeSpan? Ranked { get; set; }

        public HashSet<string> Promoted { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Critiqued { get; } = new(StringComparer.Ordinal);

        public List<LaneDraw> Early { get; } = [];
    }
}

/// <summary>What <see cref="ImageLimitedSchedule"/> found.</summary>
/// <param name="Wall">When the last iteration was ranked: the search's wall time with zero overhead.</param>
/// <param name="Rankings">When each iteration was ranked.</param>
/// <param name="Images">Every image call: ready, started, done.</param>
internal sealed record ImageLimitedScheduleResult(TimeSpan Wall, IReadOnlyList<TimeSpan> Rankings, IReadOnlyList<ImageSpan> Images);

/// <summary>One image call in <see cref="ImageLimitedSchedule"/>.</summary>
internal readonly record struct ImageSpan(LaneDraw Lane, TimeSpan Ready, TimeSpan Start, TimeSpan End);
