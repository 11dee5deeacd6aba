namespace StreamingBeam.Testing.Tests.Simulation;

/// <summary>The simulated providers must give a search something to find: critiques and refinements that raise the score.</summary>
public class SearchSignalTests
{
    private static SimulatedProviders Providers(long seed)
    {
        var options = SimulatedProvidersOptions.Instant();
        options.VisionScorer.Noise = 0;
        options.ImageGenerator.RenderImages = false;
        return SimulatedProviders.Create(seed, options);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task RefiningWhat_AfterCritique_RaisesAlignment(long seed)
    {
        var p = Providers(seed);
        for (var i = 0; i < 6; i++)
        {
            var what = (await p.Llm.ExpandAsync(Requests.Expand(PromptDimension.What, i))).Text;
            var how = (await p.Llm.ExpandAsync(Requests.Expand(PromptDimension.How, i))).Text;
            var (alignment, _) = await ScoreAsync(p, what, how);

            var critique = (await p.Llm.CritiqueAsync(Requests.Critique(PromptDimension.What, what, how, alignment))).Text;
            var refined = (await p.Llm.RefineAsync(Requests.Refine(PromptDimension.What, what, how, critique, 0))).Text;
            var (refinedAlignment, _) = await ScoreAsync(p, refined, how);

            Assert.True(refinedAlignment > alignment, $"Variant {i}: alignment went from {alignment} to {refinedAlignment}.\n{what}\n{refined}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task RefiningHow_AfterCritique_RaisesAesthetic(long seed)
    {
        var p = Providers(seed);
        for (var i = 0; i < 6; i++)
        {
            var what = (await p.Llm.ExpandAsync(Requests.Expand(PromptDimension.What, i))).Text;
            var how = (await p.Llm.ExpandAsync(Requests.Expand(PromptDimension.How, i))).Text;
            var (_, aesthetic) = await ScoreAsync(p, what, how);

            var critique = (await p.Llm.CritiqueAsync(Requests.Critique(PromptDimension.How, what, how, aesthetic: aesthetic))).Text;
            var refined = (await p.Llm.RefineAsync(Requests.Refine(PromptDimension.How, what, how, critique, i))).Text;
            var (_, refinedAesthetic) = await ScoreAsync(p, what, refined);

            Assert.True(refinedAesthetic > aesthetic, $"Variant {i}: aesthetic went from {aesthetic} to {refinedAesthetic}.\n{how}\n{refined}");
        }
    }

    private static async Task<(double Alignment, double Aesthetic)> ScoreAsync(SimulatedProviders p, string what, string how)
    {
        var combined = (await p.Llm.CombineAsync(Requests.Combine(what, how))).Text;
        var image = await p.ImageGenerator.GenerateAsync(combined);
        var alignment = await p.VisionScorer.ScoreAlignmentAsync(image, Requests.UserPrompt);
        var aesthetic = await p.VisionScorer.ScoreAestheticAsync(image);
        return (alignment.Score, aesthetic.Score);
    }
}
