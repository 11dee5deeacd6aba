namespace StreamingBeam.Snippets.Tests.Harness;

/// <summary>One C# block of a Markdown file: its code (indentation removed), where it starts, the packages it names with
/// <c>// dotnet add package X</c> lines, and the page's preamble, if the page declared one before it.</summary>
internal sealed record MarkdownSnippet(string File, int Line, string Code, Preamble? Preamble)
{
    /// <summary>Gets the packages that this block (or the preamble before it) says it needs.</summary>
    public IReadOnlyList<string> Packages => [.. PackageLines.Names(Code).Concat(Preamble?.Packages ?? []).Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>Gets a value indicating whether this block is the preamble of its page.</summary>
    public bool IsPreamble => Preamble is not null && ReferenceEquals(Preamble.Code, Code);

    /// <summary>Gets the name a test shows for this block: the file and line of its opening fence.</summary>
    public override string ToString() => $"{File}:{Line}";
}
