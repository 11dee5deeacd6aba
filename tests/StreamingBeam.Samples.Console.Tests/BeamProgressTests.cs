using StreamingBeam.Samples.Console.Beam;
using StreamingBeam.Testing;

namespace StreamingBeam.Samples.Console.Tests;

/// <summary>The live progress line of lanes, and the status line kept below the scrolling lines on a terminal.</summary>
public class BeamProgressTests
{
    [Fact]
    public async Task Progress_FollowsEachLane_AndDropsAnIterationOnceItIsRanked()
    {
        var providers = SimulatedProviders.Create(7, SimulatedProvidersOptions.Instant());
        var engine = new BeamSearchEngine(providers.Llm, providers.ImageGenerator, providers.VisionScorer);
        var options = new BeamSearchOptions { BeamWidth = 6, KeepTop = 2, MaxIterations = 2 };
        var progress = new BeamProgress(options.BeamWidth);
        var scored = new Dictionary<int, int>();
        var ranked = new HashSet<int>();

        await foreach (var e in engine.SearchStreamingAsync("a red fox", options))
        {
            progress.Observe(e);
            if (e is CandidateScoredEvent)
            {
                scored[e.Iteration] = scored.GetValueOrDefault(e.Iteration) + 1;
            }

            if (e is IterationCompletedEvent)
            {
                ranked.Add(e.Iteration);
            }

            var line = progress.Render();
            if (e is SearchStartedEvent)
            {
                Assert.Equal("iteration 0 [······] 0 scored, 0 failed, 6 running", line);
            }

            foreach (var (iteration, count) in scored)
            {
                var part = line.Split("  |  ").SingleOrDefault(p => p.StartsWith($"iteration {iteration} ", StringComparison.Ordinal));
                if (ranked.Contains(iteration))
                {
                    Assert.Null(part);
                }
                else
                {
                    Assert.NotNull(part);
                    Assert.Contains($" {count} scored, 0 failed, {6 - count} running", part, StringComparison.Ordinal);
                    Assert.Equal(count, part.Count(c => c == '●'));
                    Assert.Equal(6, part.Count(c => c is '●' or '✗' or '◐' or '·'));
                }
            }
        }

        Assert.Equal(string.Empty, progress.Render());
        Assert.Equal([0, 1], ranked.Order());
    }

    [Fact]
    public void LiveLines_OnATerminal_KeepTheStatusBelowTheLines()
    {
        using var output = new StringWriter();
        var live = new LiveLines(output, interactive: true);

        live.Status("iteration 0 [··]");
        live.WriteLine("c0-0 scored");
        live.Status(string.Empty);

        Assert.Equal("\r\u001b[2Kiteration 0 [··]" + "\r\u001b[2Kc0-0 scored\n" + "iteration 0 [··]" + "\r\u001b[2K", output.ToString().Replace(System.Environment.NewLine, "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void LiveLines_WithoutATerminal_WriteOnlyTheLines()
    {
        using var output = new StringWriter();
        var live = new LiveLines(output, interactive: false);

        live.Status("iteration 0 [··]");
        live.WriteLine("c0-0 scored");
        live.Status(string.Empty);

        Assert.Equal("c0-0 scored\n", output.ToString().Replace(System.Environment.NewLine, "\n", StringComparison.Ordinal));
    }
}
