using System.Globalization;

namespace StreamingBeam.Benchmarks.Beam;

/// <summary><c>--schedule-probe</c>: prints what <see cref="ImageLimitedSchedule"/> says about the image limits of the
/// benchmarks (no timers: computed from the draws).</summary>
internal static class ScheduleProbe
{
    public static int Run(TextWriter output, string[] args)
    {
        if (args.Length > 0 && args[0] == "seeds")
        {
            return Seeds(output, args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50);
        }

        foreach (var (n, slots) in new[] { (9, 3), (27, 4) })
        {
            var draws = BeamDraws.For(n, 0.75);
            var imageTime = draws.Iterations.SelectMany(l => l).Aggregate(TimeSpan.Zero, (sum, l) => sum + l.Image);
            var bound = imageTime / slots;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"N {n}, {slots} image slots: total image time / limit {bound.TotalMilliseconds:0} ms; unlimited promoted bound {draws.PromotedBound.TotalMilliseconds:0} ms, strict {draws.Bound.TotalMilliseconds:0} ms"));
            foreach (var promote in new[] { true, false })
            {
                foreach (var order in Enum.GetValues<ImageOrder>())
                {
                    var r = ImageLimitedSchedule.Run(draws, ImageLimit.Slots(slots), order, promote);
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {(promote ? "promoted" : "strict"),-8} {order,-14} wall {r.Wall.TotalMilliseconds,6:0} ms = {r.Wall / bound:0.000} x bound; rankings {string.Join(", ", r.Rankings.Select(x => x.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)))}"));
                }
            }

            var unlimited = ImageLimitedSchedule.Run(draws, ImageLimit.None);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  no limit, promoted: {unlimited.Wall.TotalMilliseconds:0} ms"));
        }

        var quotaDraws = BeamDraws.For(27, 0.75);
        foreach (var order in Enum.GetValues<ImageOrder>())
        {
            var q = ImageLimitedSchedule.Run(quotaDraws, ImageLimit.Quota(10, 5), order);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"N 27, quota 10/s burst 5, {order}: {q.Wall.TotalMilliseconds:0} ms"));
        }

        return 0;
    }

    /// <summary>Over many seeds: the engine's schedule under the concurrency limits, FIFO against iteration-first.</summary>
    private static int Seeds(TextWriter output, int seeds)
    {
        foreach (var sigma in new[] { 0.75, 0.25 })
        {
            foreach (var (n, slots) in new[] { (9, 3), (27, 4), (81, 4), (27, 2) })
            {
                var fifo = new List<double>();
                var critical = new List<double>();
                var versus = Enum.GetValues<ImageOrder>().Skip(1).ToDictionary(o => o, _ => new List<double>());
                for (var seed = 1; seed <= seeds; seed++)
                {
                    var draws = BeamDraws.ComputeAsync(
                        BeamScenario.Prompt, BeamScenario.SearchOptions(n), seed, BeamScenario.InstantOptions(), BeamScenario.LatencyOptions(sigma)).GetAwaiter().GetResult();
                    var bound = draws.Iterations.SelectMany(l => l).Aggregate(TimeSpan.Zero, (sum, l) => sum + l.Image) / slots;
                    var a = ImageLimitedSchedule.Run(draws, ImageLimit.Slots(slots), ImageOrder.Fifo).Wall;
                    fifo.Add(a / bound);
                    foreach (var (order, list) in versus)
                    {
                        list.Add(ImageLimitedSchedule.Run(draws, ImageLimit.Slots(slots), order).Wall / a);
                    }

                    critical.Add(a / (bound > draws.PromotedBound ? bound : draws.PromotedBound));
                }

                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"sigma {sigma} N {n} slots {slots}, {seeds} seeds: FIFO / (image time / limit) mean {fifo.Average():0.000} (min {fifo.Min():0.000}, max {fifo.Max():0.000}); FIFO / max(image bound, critical path) mean {critical.Average():0.000}"));
                foreach (var (order, list) in versus)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"    {order} / FIFO: mean {list.Average():0.0000} (min {list.Min():0.0000}, max {list.Max():0.0000}), better on {list.Count(x => x < 0.9995)}, worse on {list.Count(x => x > 1.0005)} of {seeds}"));
                }
            }
        }

        return 0;
    }
}
