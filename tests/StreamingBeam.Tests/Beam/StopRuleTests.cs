using StreamingBeam.Beam.Internal;

namespace StreamingBeam.Tests.Beam;

/// <summary>The stop rules, enumerated from the same list the engine, promotion and the benchmarks' schedule ask.</summary>
public sealed class StopRuleTests
{
    private static readonly RankingFacts Quiet = new()
    {
        Iteration = 0,
        Running = 0,
        Failed = 0,
        Rankable = 4,
        BestTotal = 0.5,
        EarlierBestTotals = [],
        Images = 4,
        Cost = 0m,
        IterationCost = 0m,
    };

    /// <summary>For each reason, options and exact facts at which that rule (and no earlier one) stops the search. A rule
    /// added to <see cref="BeamStopRules.All"/> without a row here fails every test below.</summary>
    private static readonly Dictionary<BeamStopReason, (BeamSearchOptions Options, RankingFacts Facts)> Firing = new()
    {
        [BeamStopReason.TooManyFailures] = (Options(o => o.MaxFailureRatio = 0.25), Quiet with { Failed = 2, Rankable = 2 }),
        [BeamStopReason.TargetScoreReached] = (Options(o => o.TargetScore = 0.9), Quiet with { BestTotal = 0.95 }),
        [BeamStopReason.Converged] = (Options(o => o.ConvergenceEpsilon = 0.01), Quiet with { Iteration = 1, BestTotal = 0.505, EarlierBestTotals = [0.5] }),
        [BeamStopReason.MaxIterationsReached] = (Options(o => o.MaxIterations = 2), Quiet with { Iteration = 1 }),
        [BeamStopReason.ImageBudgetExhausted] = (Options(o => o.MaxImages = 8), Quiet with { Images = 5 }),
        [BeamStopReason.CostBudgetExhausted] = (Options(o => o.MaxCost = 1m), Quiet with { Cost = 0.6m, IterationCost = 0.6m }),
    };

    public static TheoryData<int> RuleIndexes => [.. Enumerable.Range(0, BeamStopRules.All.Length)];

    [Fact]
    public void EveryStopReason_HasExactlyOneRule()
    {
        Assert.Equal(
            Enum.GetValues<BeamStopReason>().Order(),
            BeamStopRules.All.Select(r => r.Reason).Order());
    }

    [Fact]
    public void QuietFacts_StopNothing()
    {
        Assert.Null(BeamStopRules.StopAt(Options(_ => { }), Quiet));
        Assert.True(BeamStopRules.NextIterationIsCertain(Options(_ => { }), Quiet with { Running = 1 }));
    }

    [Theory]
    [MemberData(nameof(RuleIndexes))]
    public void EachRule_StopsTheSearch_AtItsFiringFacts(int index)
    {
        var rule = BeamStopRules.All[index];
        Assert.True(Firing.TryGetValue(rule.Reason, out var row), $"No firing row for {rule.Reason}: add one.");

        Assert.Equal(rule.Reason, BeamStopRules.StopAt(row.Options, row.Facts));
        Assert.False(BeamStopRules.NextIterationIsCertain(row.Options, row.Facts with { Running = 1 }));
    }

    [Theory]
    [MemberData(nameof(RuleIndexes))]
    public void EachRule_MayStopWhileLanesRun_WheneverSomeOutcomeOfThoseLanesStopsIt(int index)
    {
        // The soundness of promotion: if any way the running lanes can end makes the rule fire at the ranking, the rule
        // must already say "may stop" while they run, or promotion would spend on an iteration that never happens.
        var rule = BeamStopRules.All[index];
        Assert.True(Firing.ContainsKey(rule.Reason), $"No firing row for {rule.Reason}: add one.");
        var random = new Random(1234 + index);
        var fired = 0;
        for (var trial = 0; trial < 20_000; trial++)
        {
            var options = RandomOptions(random);
            var running = RandomFacts(random, options);
            var completed = Complete(random, running);
            if (rule.MayStop(options, completed))
            {
                fired++;
                Assert.True(
                    rule.MayStop(options, running),
                    $"{rule.Reason} fires at {completed} but did not say it might while {running.Running} lanes ran ({running}).");
            }
        }

        Assert.True(fired > 100, $"Only {fired} trials made {rule.Reason} fire: the generator does not exercise it.");
    }

    private static BeamSearchOptions Options(Action<BeamSearchOptions> configure)
    {
        var options = new BeamSearchOptions { BeamWidth = 4, KeepTop = 2, MaxIterations = 3 };
        configure(options);
        return options;
    }

    private static BeamSearchOptions RandomOptions(Random random)
    {
        var width = random.Next(1, 10);
        return new BeamSearchOptions
        {
            BeamWidth = width,
            KeepTop = random.Next(1, width + 1),
            MaxIterations = random.Next(1, 5),
            MaxFailureRatio = random.NextDouble(),
            TargetScore = random.Next(3) == 0 ? 0.5 + (random.NextDouble() / 2) : null,
            ConvergenceEpsilon = random.Next(3) == 0 ? random.NextDouble() / 10 : null,
            ConvergencePatience = random.Next(1, 3),
            MaxImages = random.Next(3) == 0 ? width + random.Next(0, 4 * width) : null,
            MaxCost = random.Next(3) == 0 ? random.Next(1, 20) : null,
        };
    }

    private static RankingFacts RandomFacts(Random random, BeamSearchOptions options)
    {
        var iteration = random.Next(0, 4);
        var running = random.Next(1, options.BeamWidth + 1);
        var failed = random.Next(0, options.BeamWidth - running + 1);
        var scored = options.BeamWidth - running - failed;
        var earlier = Enumerable.Range(0, iteration).Select(_ => random.NextDouble()).ToArray();
        var iterationCost = random.Next(0, 5);
        return new RankingFacts
        {
            Iteration = iteration,
            Running = running,
            Failed = failed,
            Rankable = scored + (iteration > 0 ? random.Next(0, options.KeepTop + 1) : 0),
            BestTotal = scored > 0 || earlier.Length > 0 ? random.NextDouble() : null,
            EarlierBestTotals = earlier,
            Images = random.Next(0, 4 * options.BeamWidth),
            Cost = iterationCost + random.Next(0, 10),
            IterationCost = iterationCost,
        };
    }

    /// <summary>One way the running lanes can end: some fail, the others score and maybe beat the best; each may have
    /// rendered its image; their calls cost something.</summary>
    private static RankingFacts Complete(Random random, RankingFacts facts)
    {
        var failing = random.Next(0, facts.Running + 1);
        var scoring = facts.Running - failing;
        var best = facts.BestTotal;
        for (var i = 0; i < scoring; i++)
        {
            var total = random.NextDouble();
            best = best is { } b ? Math.Max(b, total) : total;
        }

        var extraCost = random.Next(0, 5);
        return facts with
        {
            Running = 0,
            Failed = facts.Failed + failing,
            Rankable = facts.Rankable + scoring,
            BestTotal = best,
            Images = facts.Images + random.Next(0, facts.Running + 1),
            Cost = facts.Cost + extraCost,
            IterationCost = facts.IterationCost + extraCost,
        };
    }
}
