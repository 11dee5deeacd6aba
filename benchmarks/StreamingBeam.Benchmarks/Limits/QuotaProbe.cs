using System.Globalization;

namespace StreamingBeam.Benchmarks.Limits;

/// <summary><c>--quota-probe [strategy] [runs]</c>: runs the quota workload without BenchmarkDotNet and prints what each
/// run did, for looking into one strategy (the benchmarks report medians only).</summary>
internal static class QuotaProbe
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        if (args.Length > 0 && args[0] == "slots")
        {
            return await SlotsAsync(output, args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1);
        }

        var strategies = args.Length > 0 && args[0] != "all" ? [Enum.Parse<QuotaStrategy>(args[0], ignoreCase: true)] : Enum.GetValues<QuotaStrategy>();
        var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
        var setup = args.Contains("--whole-seconds") ? QuotaSetup.WholeSeconds : QuotaSetup.Standard;
        var bound = setup.Bound;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"quota bound {bound.Value.TotalMilliseconds:0} ms (head {bound.Head.TotalMilliseconds:0}, admission {bound.Admission.TotalMilliseconds:0}, tail {bound.Tail.TotalMilliseconds:0}); images/rate {bound.QuotaTime.TotalMilliseconds:0} ms; critical-path bound {setup.Draws.PromotedBound.TotalMilliseconds:0} ms; the engine's own schedule under the quota {setup.OwnBound.TotalMilliseconds:0} ms"));
        foreach (var strategy in strategies)
        {
            for (var i = 0; i < runs; i++)
            {
                var r = await QuotaRunner.RunAsync(setup, strategy);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{strategy,-20} wall {r.Wall.TotalMilliseconds,7:0} ms  /bound {r.Wall / bound.Value:0.000} (late: start {r.Late.Start.TotalMilliseconds:0}, admission {r.Late.Admission.TotalMilliseconds:0}, tail {r.Late.Tail.TotalMilliseconds:0} ms)  util {r.Utilisation.Value:0.000} (waited {r.Utilisation.Waiting.TotalMilliseconds:0} ms, tokens lost {r.Utilisation.TokensLost:0.0})  429s {r.ProviderRefusals} (engine {r.EngineRefusals})  cooldowns {r.Cooldowns.Cooldowns} max/cooldown {r.Cooldowns.MostRefusalsInOne}  failed {r.Failed}  images {r.ImagesRendered}  stop {r.Result?.StopReason.ToString() ?? "exception"}  same best {r.SameBest}"));
                if (args.Contains("--spells"))
                {
                    foreach (var spell in r.Calls.Waiting())
                    {
                        var level = QuotaUsage.LevelBefore(r.Calls.AcceptedAt, setup.PerSecond, setup.Burst, spell.From);
                        var used = r.Calls.AcceptedAt.Count(a => a >= spell.From && a <= spell.To);
                        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"    spell {spell.From.TotalMilliseconds,7:0.0}..{spell.To.TotalMilliseconds,7:0.0} level {level:0.00} made {setup.PerSecond * spell.Length.TotalSeconds:0.00} used {used}"));
                    }

                    foreach (var refusal in r.Calls.Refusals.Take(20))
                    {
                        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"    429 at {refusal.At.TotalMilliseconds,7:0.0} retry after {refusal.RetryAfter.TotalMilliseconds:0} ms"));
                    }

                    var accepted = r.Calls.AcceptedAt;
                    output.WriteLine("    accepted at: " + string.Join(" ", accepted.Take(40).Select(a => a.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture))));
                }
            }
        }

        return 0;
    }

    private static async Task<int> SlotsAsync(TextWriter output, int runs)
    {
        foreach (var n in new[] { 9, 27 })
        {
            foreach (var promote in new[] { true, false })
            {
                var imageBound = ImageSlotBenchmarks.ImageBound(n);
                var own = ImageSlotBenchmarks.OwnBound(n, promote);
                for (var i = 0; i < runs; i++)
                {
                    var r = await ImageSlotRunner.RunAsync(n, promote);
                    var u = r.Usage;
                    double Ms(TimeSpan slotTime) => slotTime.TotalMilliseconds / u.Slots;
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"N {n} {(promote ? "promoted" : "strict"),-8} wall {r.Wall.TotalMilliseconds:0} ms = {r.Wall / imageBound:0.000} x image time/limit ({imageBound.TotalMilliseconds:0}), {r.Wall / own:0.000} x own bound ({own.TotalMilliseconds:0}); images {u.ImageWall.TotalMilliseconds:0}, head {Ms(u.Head):0}, barriers {Ms(u.Middle):0}, tail {Ms(u.Tail):0}, held {Ms(u.IdleWhileWaiting):0} ms; same best {r.SameBest}"));
                }
            }
        }

        return 0;
    }
}
