namespace StreamingBeam.Testing.Tests.Simulation;

public class SimulatedLlmClientTests
{
    private static SimulatedLlmClient Client(long seed = 7) =>
        new(seed, new SimulatedLlmOptions { Latency = LatencyDistribution.Zero });

    [Fact]
    public async Task ExpandAsync_SameSeedAndRequest_GivesSameText()
    {
        var first = await Client(7).ExpandAsync(Requests.Expand(PromptDimension.What, 3));
        var second = await Client(7).ExpandAsync(Requests.Expand(PromptDimension.What, 3));

        Assert.Equal(first.Text, second.Text);
        Assert.Equal(first.Usage, second.Usage);
    }

    [Fact]
    public async Task ExpandAsync_DifferentSeeds_GiveDifferentTexts()
    {
        var texts = new HashSet<string>();
        for (var seed = 0; seed < 5; seed++)
        {
            texts.Add((await Client(seed).ExpandAsync(Requests.Expand(PromptDimension.What, 0))).Text);
        }

        Assert.True(texts.Count >= 4, $"Five seeds gave only {texts.Count} distinct expansions.");
    }

    [Theory]
    [InlineData(PromptDimension.What)]
    [InlineData(PromptDimension.How)]
    public async Task ExpandAsync_NeighbouringVariants_GiveDistinctTexts(PromptDimension dimension)
    {
        var client = Client();
        var texts = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            texts.Add((await client.ExpandAsync(Requests.Expand(dimension, i))).Text);
        }

        Assert.Equal(texts.Count, texts.Distinct().Count());
        Assert.All(texts, text => Assert.False(string.IsNullOrWhiteSpace(text)));
    }

    [Fact]
    public async Task ExpandAsync_What_KeepsMostOfTheRequest()
    {
        var client = Client();
        for (var i = 0; i < 9; i++)
        {
            var text = (await client.ExpandAsync(Requests.Expand(PromptDimension.What, i))).Text;
            var kept = new[] { "red", "fox", "snowy", "forest" }.Count(word => text.Contains(word, StringComparison.OrdinalIgnoreCase));
            Assert.True(kept >= 2, $"Variant {i} kept only {kept} of the request's four words: {text}");
        }
    }

    [Fact]
    public async Task ExpandAsync_How_NamesTwoOrThreeStyleAspects()
    {
        var client = Client();
        for (var i = 0; i < 9; i++)
        {
            var text = (await client.ExpandAsync(Requests.Expand(PromptDimension.How, i))).Text;
            var parts = text.Split(", ");
            Assert.InRange(parts.Length, 2, 4); // one mood phrase contains a comma itself
        }
    }

    [Fact]
    public async Task CombineAsync_MergesBothDimensions()
    {
        var response = await Client().CombineAsync(Requests.Combine("a red fox in a forest", "oil painting, soft diffused light"));

        Assert.Equal("A red fox in a forest. Oil painting, soft diffused light.", response.Text);
    }

    [Fact]
    public async Task CritiqueAsync_What_NamesTheMissingWordsOfTheRequest()
    {
        var response = await Client().CritiqueAsync(Requests.Critique(PromptDimension.What, "a fox in a forest, at dawn", "oil painting"));

        Assert.Contains("\"red\"", response.Text, StringComparison.Ordinal);
        Assert.Contains("\"snowy\"", response.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"fox\"", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CritiqueAsync_How_NamesAMissingAspect()
    {
        var response = await Client().CritiqueAsync(Requests.Critique(PromptDimension.How, "a red fox", "oil painting, golden hour lighting"));

        Assert.Contains("says nothing about palette, composition or mood", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefineAsync_What_PutsBackMissingWordsAndAddsASuggestion()
    {
        var client = Client();
        const string what = "a fox in a forest, at dawn";
        var critique = (await client.CritiqueAsync(Requests.Critique(PromptDimension.What, what, "oil painting"))).Text;

        var refined = (await client.RefineAsync(Requests.Refine(PromptDimension.What, what, "oil painting", critique, 0))).Text;

        Assert.StartsWith(what, refined, StringComparison.Ordinal);
        Assert.Contains("red", refined, StringComparison.Ordinal);
        Assert.Contains("snowy", refined, StringComparison.Ordinal);
        Assert.True(refined.Length > what.Length + "red and snowy".Length, refined);
    }

    [Fact]
    public async Task RefineAsync_Siblings_TakeDifferentSuggestions()
    {
        var client = Client();
        const string how = "oil painting";
        var critique = (await client.CritiqueAsync(Requests.Critique(PromptDimension.How, "a red fox", how))).Text;

        var children = new List<string>();
        for (var v = 0; v < 3; v++)
        {
            children.Add((await client.RefineAsync(Requests.Refine(PromptDimension.How, "a red fox", how, critique, v))).Text);
        }

        Assert.Equal(3, children.Distinct().Count());
        Assert.All(children, child => Assert.StartsWith(how + ", ", child, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RefineAsync_CritiqueWithoutQuotes_StillChangesTheDimension()
    {
        var refined = await Client().RefineAsync(Requests.Refine(PromptDimension.What, "a red fox", "oil painting", "Make it better.", 0));

        Assert.StartsWith("a red fox, ", refined.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_ReportsTokensFromTextLengthAndTheConfiguredCosts()
    {
        var client = new SimulatedLlmClient(1, new SimulatedLlmOptions { Latency = LatencyDistribution.Zero, CostPerCall = 0.01m, CostPerThousandTokens = 1m });
        var request = Requests.Combine(new string('w', 400), new string('h', 400));

        var response = await client.CombineAsync(request);

        var expectedInput = 40 + ((Requests.UserPrompt.Length + 800 + 3) / 4);
        Assert.Equal(expectedInput, response.Usage.InputTokens);
        Assert.Equal((response.Text.Length + 3) / 4, response.Usage.OutputTokens);
        Assert.Equal(0.01m + (response.Usage.TotalTokens / 1000m), response.Usage.Cost);
    }

    [Fact]
    public async Task Methods_NullRequest_Throw()
    {
        var client = Client();
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.ExpandAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.CombineAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.CritiqueAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.RefineAsync(null!));
    }
}
