namespace StreamingBeam.Benchmarks.Limits;

/// <summary>A half-open interval of time, <c>[From, To)</c>.</summary>
internal readonly record struct TimeInterval(TimeSpan From, TimeSpan To)
{
    public TimeSpan Length => To > From ? To - From : TimeSpan.Zero;

    /// <summary>Merges intervals into disjoint ones, in order (empty ones dropped).</summary>
    public static IReadOnlyList<TimeInterval> Union(IEnumerable<TimeInterval> intervals)
    {
        var merged = new List<TimeInterval>();
        foreach (var next in intervals.Where(i => i.To > i.From).OrderBy(i => i.From))
        {
            if (merged.Count > 0 && next.From <= merged[^1].To)
            {
                merged[^1] = merged[^1] with { To = Max(merged[^1].To, next.To) };
            }
            else
            {
                merged.Add(next);
            }
        }

        return merged;
    }

    /// <summary>Gets the total length of the time both sets cover (each a list of disjoint intervals in order).</summary>
    public static TimeSpan Overlap(IReadOnlyList<TimeInterval> a, IReadOnlyList<TimeInterval> b)
    {
        var total = TimeSpan.Zero;
        int i = 0, j = 0;
        while (i < a.Count && j < b.Count)
        {
            var from = Max(a[i].From, b[j].From);
            var to = Min(a[i].To, b[j].To);
            if (to > from)
            {
                total += to - from;
            }

            if (a[i].To <= b[j].To)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return total;
    }

    public static TimeSpan Total(IEnumerable<TimeInterval> disjoint) => disjoint.Aggregate(TimeSpan.Zero, (sum, i) => sum + i.Length);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
