using StreamingBeam.Snippets.Tests.Harness;

namespace StreamingBeam.Snippets.Tests;

/// <summary>Every C# block in README.md, src/*/README.md and docs/*.md compiles as shown (see CONTRIBUTING.md).</summary>
public class DocumentationSnippetsTests
{
    private static readonly Lazy<IReadOnlyList<MarkdownSnippet>> All = new(() =>
    {
        var root = RepositoryRoot.Find();
        return [.. MarkdownSnippets.DocumentationFiles(root).SelectMany(f => MarkdownSnippets.Read(f, File.ReadAllText(Path.Combine(root, f))))];
    });

    public static TheoryData<string> Blocks()
    {
        var data = new TheoryData<string>();
        foreach (var snippet in All.Value)
        {
            data.Add(snippet.ToString());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Block_CompilesAsShown(string block)
    {
        var snippet = All.Value.Single(s => s.ToString() == block);

        var problems = SnippetCompiler.Compile(snippet, SnippetReferences.Instance);

        Assert.True(
            problems.Count == 0,
            $"{block} does not compile against {SnippetReferences.Instance.Origin} as shown:\n{string.Join('\n', problems)}\n\n{snippet.Code}");
    }

    [Fact]
    public void EveryDocumentationFile_IsRead_AndTheBlocksAreFound()
    {
        var files = MarkdownSnippets.DocumentationFiles(RepositoryRoot.Find());

        Assert.Contains("README.md", files);
        Assert.Contains("src/StreamingBeam.Extensions.AI/README.md", files);
        Assert.Contains("docs/extraction.md", files);
        Assert.DoesNotContain(files, f => f.Contains("/obj/", StringComparison.Ordinal) || f.Contains("/bin/", StringComparison.Ordinal));
        Assert.Contains(All.Value, s => s.File == "README.md");
        Assert.Contains(All.Value, s => s.File == "docs/extensions-ai.md");
        Assert.Contains(All.Value, s => s.File == "src/StreamingBeam.Extensions.AI/README.md");
    }

    [Fact]
    public void UnderCi_TheBlocksCompileAgainstThePackedPackages()
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.True(SnippetReferences.FromPackages);
            Assert.EndsWith(Path.Combine("artifacts", "packages"), SnippetReferences.Instance.Origin, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(
                string.Equals(Environment.GetEnvironmentVariable("STREAMINGBEAM_SNIPPETS_FROM_PACKAGES"), "true", StringComparison.OrdinalIgnoreCase),
                SnippetReferences.FromPackages);
        }
    }
}
