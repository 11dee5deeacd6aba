namespace StreamingBeam.Testing.Tests.Simulation;

/// <summary>The simulated model writes like one: expansions keep the user's subject whole and differ from each other,
/// siblings refined from one parent differ, and all of it is a function of the seed and the request.</summary>
public class WritingTests
{
    /// <summary>Prompts, their subjects, and what an expansion may keep of them: the whole prompt, or it without one of
    /// the phrases after the subject.</summary>
    public static TheoryData<string, string, string[]> Prompts => new()
    {
        { "a lighthouse at dusk", "a lighthouse", ["a lighthouse at dusk", "a lighthouse"] },
        { "a red fox in a snowy forest", "a red fox", ["a red fox in a snowy forest", "a red fox"] },
        { "a red fox in a snowy forest, at night", "a red fox", ["a red fox in a snowy forest, at night", "a red fox, at night", "a red fox in a snowy forest"] },
        { "an astronaut riding a horse on the moon", "an astronaut riding a horse", ["an astronaut riding a horse on the moon", "an astronaut riding a horse"] },
        { "a cat sitting on a windowsill in the rain", "a cat sitting on a windowsill", ["a cat sitting on a windowsill in the rain", "a cat sitting on a windowsill"] },
        { "portrait of an old fisherman", "portrait of an old fisherman", ["portrait of an old fisherman"] },
        { "a girl with a red umbrella under a bridge", "a girl with a red umbrella", ["a girl with a red umbrella under a bridge", "a girl with a red umbrella"] },
        { "cyberpunk city", "cyberpunk city", ["cyberpunk city"] },
        { "a winding river at dawn", "a winding river", ["a winding river at dawn", "a winding river"] },
        { "in the rain, a dog", "in the rain, a dog", ["in the rain, a dog"] },
        { "a lighthouse at dusk, stormy sea", "a lighthouse", ["a lighthouse at dusk, stormy sea", "a lighthouse, stormy sea"] },
    };

    private static SimulatedLlmClient Client(long seed) => new(seed, new SimulatedLlmOptions { Latency = LatencyDistribution.Zero });

    [Theory]
    [MemberData(nameof(Prompts))]
    public async Task Expansions_KeepTheSubjectWhole_AndLeaveOutOnlyWholePhrases(string prompt, string subject, string[] kept)
    {
        var lost = 0;
        for (var seed = 0; seed < 40; seed++)
        {
            var client = Client(seed);
            for (var i = 0; i < 27; i++)
            {
                var text = (await client.ExpandAsync(Requests.Expand(PromptDimension.What, i, prompt))).Text;

                Assert.StartsWith(subject, text, StringComparison.Ordinal);
                var head = kept.Where(k => text.StartsWith(k + ", ", StringComparison.Ordinal)).MaxBy(k => k.Length);
                Assert.True(head is not null, $"Seed {seed}, variant {i} keeps neither the request nor it without one whole phrase: {text}");
                lost += head == prompt ? 0 : 1;
            }
        }

        // Some expansions take liberties with the phrases after the subject (so critiques have something to repair),
        // most keep the whole request.
        if (kept.Length > 1)
        {
            Assert.InRange(lost, 40 * 27 / 5, 40 * 27 / 2);
        }
    }

    [Theory]
    [MemberData(nameof(Prompts))]
    public async Task Expansions_OfOnePrompt_ArePairwiseDistinct(string prompt, string subject, string[] kept)
    {
        _ = (subject, kept);
        foreach (var temperature in new[] { 0.0, 0.7, 1.0 })
        {
            for (var seed = 0; seed < 20; seed++)
            {
                var client = Client(seed);
                var texts = new List<string>();
                for (var i = 0; i < 100; i++)
                {
                    texts.Add((await client.ExpandAsync(new ExpandRequest { UserPrompt = prompt, Dimension = PromptDimension.What, VariantIndex = i, Temperature = temperature })).Text);
                }

                Assert.Equal(texts.Count, texts.Distinct(StringComparer.Ordinal).Count());
            }
        }
    }

    [Fact]
    public async Task Expansions_StayDistinct_UpToTheWidestBeam()
    {
        var client = Client(42);
        var texts = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(texts.Add((await client.ExpandAsync(Requests.Expand(PromptDimension.What, i, "a lighthouse at dusk"))).Text), $"Variant {i} repeats an earlier one.");
        }
    }

    [Theory]
    [InlineData(PromptDimension.What)]
    [InlineData(PromptDimension.How)]
    public async Task Siblings_RefinedFromOneParent_AllDiffer_AndDifferFromTheParent(PromptDimension dimension)
    {
        var prompts = new[] { "a lighthouse at dusk", Requests.UserPrompt, "portrait of an old fisherman", "cyberpunk city" };
        foreach (var prompt in prompts)
        {
            for (var seed = 0; seed < 15; seed++)
            {
                var client = Client(seed);
                for (var parent = 0; parent < 4; parent++)
                {
                    var what = (await client.ExpandAsync(Requests.Expand(PromptDimension.What, parent, prompt))).Text;
                    var how = (await client.ExpandAsync(Requests.Expand(PromptDimension.How, parent, prompt))).Text;
                    var critique = (await client.CritiqueAsync(Critique(prompt, dimension, what, how))).Text;

                    var children = new List<string>();
                    for (var v = 0; v < 30; v++)
                    {
                        children.Add((await client.RefineAsync(Refine(prompt, dimension, what, how, critique, v))).Text);
                    }

                    Assert.Equal(children.Count, children.Distinct(StringComparer.Ordinal).Count());
                    Assert.DoesNotContain(dimension == PromptDimension.What ? what : how, children);
                }
            }
        }
    }

    [Fact]
    public async Task Siblings_StayDistinct_UpToTheWidestBeam()
    {
        var client = Client(3);
        const string how = "oil painting, golden hour lighting, teal and orange palette, rule of thirds composition";
        var critique = (await client.CritiqueAsync(Critique("a fox", PromptDimension.How, "a fox", how))).Text;
        var children = new HashSet<string>(StringComparer.Ordinal);
        for (var v = 0; v < 1000; v++)
        {
            Assert.True(children.Add((await client.RefineAsync(Refine("a fox", PromptDimension.How, "a fox", how, critique, v))).Text), $"Child {v} repeats an earlier one.");
        }
    }

    [Fact]
    public async Task Refine_PutsALostPhraseBack_WhereItWas()
    {
        var client = Client(1);
        const string what = "a lighthouse, a lone traveller in the foreground, on a misty morning";
        var critique = (await client.CritiqueAsync(Critique("a lighthouse at dusk", PromptDimension.What, what, "oil painting"))).Text;
        Assert.Contains("\"dusk\"", critique, StringComparison.Ordinal);

        var refined = (await client.RefineAsync(Refine("a lighthouse at dusk", PromptDimension.What, what, "oil painting", critique, 0))).Text;

        Assert.StartsWith("a lighthouse at dusk, a lone traveller in the foreground, on a misty morning, ", refined, StringComparison.Ordinal);
        Assert.DoesNotContain("emphasising", refined, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refine_PutsLostPhrasesBack_InTheRequestsOrder()
    {
        var client = Client(1);
        const string prompt = "a red fox in a snowy forest, at night";
        const string what = "a red fox in a snowy forest, a winding river, at dawn";
        var critique = (await client.CritiqueAsync(Critique(prompt, PromptDimension.What, what, "oil painting"))).Text;

        var refined = (await client.RefineAsync(Refine(prompt, PromptDimension.What, what, "oil painting", critique, 0))).Text;

        Assert.StartsWith("a red fox in a snowy forest, at night, a winding river, at dawn, ", refined, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refine_ALaterIterationOfTheSameParent_WritesOtherChildren()
    {
        var client = Client(5);
        const string what = "a red fox in a snowy forest, a winding river, at dawn";
        var critique = (await client.CritiqueAsync(Critique(Requests.UserPrompt, PromptDimension.What, what, "oil painting"))).Text;

        var first = new List<string>();
        var later = new List<string>();
        for (var v = 0; v < 3; v++)
        {
            first.Add((await client.RefineAsync(Refine(Requests.UserPrompt, PromptDimension.What, what, "oil painting", critique, v, iteration: 1))).Text);
            later.Add((await client.RefineAsync(Refine(Requests.UserPrompt, PromptDimension.What, what, "oil painting", critique, v, iteration: 3))).Text);
        }

        Assert.NotEqual(first, later);
    }

    [Fact]
    public async Task Writing_IsAFunctionOfTheSeedAndTheRequest()
    {
        async Task<List<string>> WriteAsync(long seed)
        {
            var client = Client(seed);
            var texts = new List<string>();
            for (var i = 0; i < 9; i++)
            {
                var what = (await client.ExpandAsync(Requests.Expand(PromptDimension.What, i, "a lighthouse at dusk"))).Text;
                var how = (await client.ExpandAsync(Requests.Expand(PromptDimension.How, i, "a lighthouse at dusk"))).Text;
                var critique = (await client.CritiqueAsync(Critique("a lighthouse at dusk", PromptDimension.What, what, how))).Text;
                texts.AddRange([what, how, critique, (await client.RefineAsync(Refine("a lighthouse at dusk", PromptDimension.What, what, how, critique, i % 3))).Text]);
            }

            return texts;
        }

        Assert.Equal(await WriteAsync(42), await WriteAsync(42));
        Assert.NotEqual(await WriteAsync(42), await WriteAsync(43));
    }

    private static CritiqueRequest Critique(string prompt, PromptDimension dimension, string what, string how) => new()
    {
        UserPrompt = prompt,
        Dimension = dimension,
        What = what,
        How = how,
        CombinedPrompt = what + ". " + how + ".",
        Alignment = 0.6,
        Aesthetic = 0.5,
        Iteration = 1,
    };

    private static RefineRequest Refine(string prompt, PromptDimension dimension, string what, string how, string critique, int variant, int iteration = 1) => new()
    {
        UserPrompt = prompt,
        Dimension = dimension,
        What = what,
        How = how,
        Critique = critique,
        VariantIndex = variant,
        Iteration = iteration,
    };
}
