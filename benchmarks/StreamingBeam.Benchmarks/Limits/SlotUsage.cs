namespace StreamingBeam.Benchmarks.Limits;

/// <summary>Where a concurrency limit's slot-time went in one run: rendering images, or idle (and why).</summary>
/// <remarks>
/// With <c>L</c> slots over a run of wall time <c>W</c> there are <c>L * W</c> of slot-time: the images' own time plus
/// idle slot-time. Idle slot-time is split by what waited at that moment: <see cref="IdleWhileWaiting"/> (a slot free
/// while an image was ready: the limiter's hand-off, or a scheduler that holds work back), and idle with nothing to
/// render, either before the first image started (<see cref="Head"/>: the first prompts), after the last image started
/// (<see cref="Tail"/>: the last images and their scores, no more work), or in between (<see cref="Middle"/>: the
/// ranking barriers, where the next iteration's images are not written yet). Divided by <c>L</c>, each is wall time:
/// <c>W = ImageTime / L + (Head + Middle + Tail + IdleWhileWaiting) / L</c>.
/// </remarks>
/// <param name="Slots">The limit <c>L</c>.</param>
/// <param name="ImageTime">The images' own time, summed.</param>
/// <param name="Head">Idle slot-time before the first image started.</param>
/// <param name="Middle">Idle slot-time with nothing waiting, between the first and the last image start.</param>
/// <param name="Tail">Idle slot-time after the last image started.</param>
/// <param name="IdleWhileWaiting">Idle slot-time while an image was ready and waiting.</param>
internal readonly record struct SlotUsage(int Slots, TimeSpan ImageTime, TimeSpan Head, TimeSpan Middle, TimeSpan Tail, TimeSpan IdleWhileWaiting)
{
    /// <summary>Computes the usage of <paramref name="slots"/> slots by <paramref name="images"/> over a run that ended at <paramref name="wall"/>.</summary>
    public static SlotUsage Of(IEnumerable<(TimeSpan Ready, TimeSpan Start, TimeSpan End)> images, TimeSpan wall, int slots)
    {
        var list = images.ToList();
        if (list.Count == 0)
        {
            return new SlotUsage(slots, TimeSpan.Zero, wall * slots, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
        }

        var firstStart = list.Min(i => i.Start);
        var lastStart = list.Max(i => i.Start);
        var changes = new List<(TimeSpan At, int Busy, int Waiting)>();
        foreach (var (ready, start, end) in list)
        {
            changes.Add((ready, 0, +1));
            changes.Add((start, +1, -1));
            changes.Add((end, -1, 0));
        }

        changes.Add((wall, 0, 0));
        changes.Sort((a, b) => a.At.CompareTo(b.At));

        TimeSpan head = default, middle = default, tail = default, whileWaiting = default;
        int busy = 0, waiting = 0;
        var at = TimeSpan.Zero;
        foreach (var change in changes)
        {
            var span = (change.At < wall ? change.At : wall) - at;
            if (span > TimeSpan.Zero)
            {
                var idle = Math.Max(0, slots - busy);
                var held = Math.Min(idle, waiting);
                whileWaiting += span * held;
                var free = span * (idle - held);
                if (at < firstStart)
                {
                    head += free;
                }
                else if (at >= lastStart)
                {
                    tail += free;
                }
                else
                {
                    middle += free;
                }

                at += span;
            }

            busy += change.Busy;
            waiting += change.Waiting;
        }

        return new SlotUsage(slots, list.Aggregate(TimeSpan.Zero, (sum, i) => sum + (i.End - i.Start)), head, middle, tail, whileWaiting);
    }

    /// <summary>Gets the wall time the images' own time accounts for: <see cref="ImageTime"/> / <see cref="Slots"/>.</summary>
    public TimeSpan ImageWall => ImageTime / Slots;
}
