namespace StreamingBeam.Snippets.Tests.Harness;

/// <summary>Finds the C# blocks of Markdown files.</summary>
internal static class MarkdownSnippets
{
    private static readonly string[] CSharpInfoStrings = ["csharp", "cs", "c#"];

    /// <summary>Gets the documentation files whose C# blocks must compile: README.md, src/*/README.md, docs/*.md.</summary>
    public static IReadOnlyList<string> DocumentationFiles(string repositoryRoot) =>
    [
        "README.md",
        .. Directory.GetDirectories(Path.Combine(repositoryRoot, "src"))
            .Select(project => Path.Combine(project, "README.md"))
            .Where(File.Exists)
            .Concat(Directory.GetFiles(Path.Combine(repositoryRoot, "docs"), "*.md"))
            .Select(f => Path.GetRelativePath(repositoryRoot, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>Reads the C# blocks of one Markdown text, in order. A fence may be indented (inside a list item); the
    /// indentation is removed from the block's lines. A preamble applies to the blocks after it in the same file.</summary>
    public static IReadOnlyList<MarkdownSnippet> Read(string file, string markdown)
    {
        var snippets = new List<MarkdownSnippet>();
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        Preamble? preamble = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].TrimStart();
            if (!trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }

            var indent = lines[i].Length - trimmed.Length;
            var info = trimmed[3..].Trim().Split(' ', 2)[0];
            var start = i;
            var body = new List<string>();
            for (i++; i < lines.Length && lines[i].Trim() != "```"; i++)
            {
                body.Add(lines[i].Length >= indent && string.IsNullOrWhiteSpace(lines[i][..indent]) ? lines[i][indent..] : lines[i].TrimStart());
            }

            if (!CSharpInfoStrings.Contains(info, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            var code = string.Join('\n', body) + "\n";
            if (Preamble.IsPreamble(code))
            {
                preamble = Preamble.Parse(code);
            }

            snippets.Add(new MarkdownSnippet(file, start + 1, code, preamble));
        }

        return snippets;
    }
}
