namespace StreamingBeam.Testing.Tests.Simulation;

/// <summary>Through the engine: the simulated model's expansions and siblings never repeat each other, so a search
/// does not pay for the same prompt twice because of them.</summary>
public class SearchWritingTests
{
    private static readonly string[] Prompts = ["a lighthouse at dusk", "a red fox in a snowy forest", "portrait of an old fisherman", "cyberpunk city"];

    [Fact]
    public async Task TheConsoleSamplesDefaultRun_RendersNoPromptTwice()
    {
        // "a lighthouse at dusk", seed 42, N 9, M 3, 3 iterations, images rendered: the README's command.
        var candidates = await SearchAsync("a lighthouse at dusk", 42, new BeamSearchOptions { BeamWidth = 9, KeepTop = 3, MaxIterations = 3, Alpha = 0.7 }, renderImages: true);

        Assert.Equal(27, candidates.Select(c => c.CombinedPrompt).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task AtTheConsoleSamplesDefaults_ASearch_RendersNoPromptTwice()
    {
        foreach (var prompt in Prompts)
        {
            for (var seed = 0; seed < 30; seed++)
            {
                var candidates = await SearchAsync(prompt, seed, new BeamSearchOptions { BeamWidth = 9, KeepTop = 3, MaxIterations = 3, Alpha = 0.7 });

                Assert.Equal(27, candidates.Count);
                Assert.True(candidates.Select(c => c.CombinedPrompt).Distinct(StringComparer.Ordinal).Count() == 27, $"\"{prompt}\", seed {seed} rendered a prompt twice.");
            }
        }
    }

    [Theory]
    [InlineData(12, 2)]
    [InlineData(27, 9)]
    [InlineData(60, 3)]
    public async Task AtAnyWidth_NoTwoRootsAndNoTwoSiblings_AreTheSame(int beamWidth, int keepTop)
    {
        foreach (var prompt in Prompts)
        {
            for (var seed = 0; seed < 8; seed++)
            {
                var candidates = await SearchAsync(prompt, seed, new BeamSearchOptions { BeamWidth = beamWidth, KeepTop = keepTop, MaxIterations = 4 });

                Assert.Equal(4 * beamWidth, candidates.Count);
                foreach (var family in candidates.GroupBy(c => (c.Iteration, c.ParentId)))
                {
                    var prompts = family.Select(c => c.CombinedPrompt).ToList();
                    Assert.True(prompts.Count == prompts.Distinct(StringComparer.Ordinal).Count(),
                        $"\"{prompt}\", seed {seed}: two of {string.Join(", ", family.Select(c => c.Id))} are the same.");
                }
            }
        }
    }

    private static async Task<List<BeamCandidate>> SearchAsync(string prompt, long seed, BeamSearchOptions options, bool renderImages = false)
    {
        var simulated = SimulatedProvidersOptions.Instant();
        simulated.ImageGenerator.RenderImages = renderImages;
        var providers = SimulatedProviders.Create(seed, simulated);
        var engine = new BeamSearchEngine(providers.Llm, providers.ImageGenerator, providers.VisionScorer);
        var candidates = new List<BeamCandidate>();
        await foreach (var e in engine.SearchStreamingAsync(prompt, options))
        {
            if (e is CandidateScoredEvent scored)
            {
                candidates.Add(scored.Candidate);
            }
        }

        return candidates;
    }
}
