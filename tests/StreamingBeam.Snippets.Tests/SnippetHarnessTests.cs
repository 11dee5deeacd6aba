using StreamingBeam.Snippets.Tests.Harness;

namespace StreamingBeam.Snippets.Tests;

/// <summary>The harness itself: it finds the blocks a reader sees and fails the ones a reader could not compile.</summary>
public class SnippetHarnessTests
{
    [Fact]
    public void Read_FindsCSharpBlocks_IndentedOnesToo_AndSkipsOtherLanguages()
    {
        const string markdown = """
            # Title

            ```bash
            dotnet run
            ```

            - In a list:

              ```csharp
              var x = 1;
              ```

            ```cs
            var y = 2;
            ```
            """;

        var snippets = MarkdownSnippets.Read("page.md", markdown);

        Assert.Equal(["page.md:9", "page.md:13"], snippets.Select(s => s.ToString()));
        Assert.Equal("var x = 1;\n", snippets[0].Code);
    }

    [Fact]
    public void APreamble_AppliesToTheBlocksAfterIt_OnItsOwnPage()
    {
        const string markdown = """
            ```csharp
            var before = 1;
            ```

            ```csharp
            // Given: your LLM client
            using StreamingBeam;

            ILlmClient llm;
            ```

            ```csharp
            var after = llm;
            ```
            """;

        var snippets = MarkdownSnippets.Read("page.md", markdown);

        Assert.Null(snippets[0].Preamble);
        Assert.True(snippets[1].IsPreamble);
        Assert.Same(snippets[1].Preamble, snippets[2].Preamble);
        Assert.Empty(Compile(snippets[1]));
        Assert.Empty(Compile(snippets[2]));
    }

    [Fact]
    public void APreamble_WithAValueOrAStatement_BreaksItsRule()
    {
        var preamble = Preamble.Parse("// Given\nusing StreamingBeam;\nILlmClient llm = null!;\nConsole.WriteLine();\n");

        Assert.Equal(2, preamble.Problems.Count);
    }

    [Fact]
    public void ABlock_ThatUsesAName_NobodyDeclared_Fails()
    {
        var problems = Compile(Snippet("using StreamingBeam;\n\nvar engine = new BeamSearchEngine(llm, imageGenerator, scorer);\n"));

        Assert.Contains(problems, p => p.StartsWith("page.md:4: CS0103", StringComparison.Ordinal) && p.Contains("'llm'", StringComparison.Ordinal));
    }

    [Fact]
    public void ABlock_ThatLeavesOutAUsing_Fails_EvenWhenThePreambleHasIt()
    {
        const string markdown = """
            ```csharp
            // Given
            using Microsoft.Extensions.DependencyInjection;

            IServiceCollection services;
            ```

            ```csharp
            services.AddStreamingBeam();
            ```
            """;

        var problems = Compile(MarkdownSnippets.Read("page.md", markdown)[1]);

        Assert.Contains(problems, p => p.Contains("CS1061", StringComparison.Ordinal) && p.Contains("AddStreamingBeam", StringComparison.Ordinal));
    }

    [Fact]
    public void ABlock_ThatLeavesOutAPackage_Fails_AndNamingItFixesIt()
    {
        const string code = "using StreamingBeam.Testing;\n\nvar sim = SimulatedProviders.Create(seed: 42);\n";

        Assert.Contains(Compile(Snippet(code)), p => p.Contains("CS0246", StringComparison.Ordinal) || p.Contains("CS0234", StringComparison.Ordinal));
        Assert.Empty(Compile(Snippet("// dotnet add package StreamingBeam.Testing --prerelease\n" + code)));
    }

    [Fact]
    public void AWarning_FailsToo()
    {
        var problems = Compile(Snippet("string? text = null;\nConsole.WriteLine(text.Length);\n"));

        Assert.Contains(problems, p => p.Contains("CS8602", StringComparison.Ordinal));
    }

    [Fact]
    public void ABlockOfDeclarationsOnly_CompilesAsALibrary()
    {
        Assert.Empty(Compile(Snippet("using StreamingBeam;\n\npublic sealed class Nothing\n{\n    public ExtractionInput Input { get; } = new();\n}\n")));
    }

    private static MarkdownSnippet Snippet(string code) => new("page.md", 1, code, null);

    private static IReadOnlyList<string> Compile(MarkdownSnippet snippet) => SnippetCompiler.Compile(snippet, SnippetReferences.Instance);
}
