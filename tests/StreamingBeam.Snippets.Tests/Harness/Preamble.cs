using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace StreamingBeam.Snippets.Tests.Harness;

/// <summary>
/// A page's preamble: a C# block whose first line starts with <c>// Given</c>. It declares, visibly, what the blocks
/// after it on the same page take as given: variables (<c>ILlmClient llm;</c>, with no value) and types the reader
/// writes (<c>class ColourExtractor ...</c>), with the usings and packages those declarations need.
/// </summary>
/// <remarks>
/// The preamble's usings do not reach the blocks: each block shows every using it needs. Its variables become static
/// properties of a class <c>Given</c> that the blocks import with <c>using static</c>, and its types are compiled as
/// they are, beside each block.
/// </remarks>
internal sealed class Preamble
{
    public const string Marker = "// Given";

    private Preamble(string code, IReadOnlyList<string> packages, string source, IReadOnlyList<string> problems)
    {
        Code = code;
        Packages = packages;
        Source = source;
        Problems = problems;
    }

    /// <summary>Gets the block as written in the page.</summary>
    public string Code { get; }

    /// <summary>Gets the packages the preamble names; the blocks after it are compiled against them too.</summary>
    public IReadOnlyList<string> Packages { get; }

    /// <summary>Gets the C# file compiled beside each block: the usings, a class <c>Given</c> with one static property
    /// per declared variable, and the declared types.</summary>
    public string Source { get; }

    /// <summary>Gets what in the block breaks the preamble's rules (empty when it follows them).</summary>
    public IReadOnlyList<string> Problems { get; }

    public static bool IsPreamble(string code) => code.TrimStart().StartsWith(Marker, StringComparison.Ordinal);

    public static Preamble Parse(string code)
    {
        var root = CSharpSyntaxTree.ParseText(code, SnippetCompiler.ParseOptions).GetCompilationUnitRoot();
        var problems = new List<string>();
        var variables = new List<string>();
        var types = new List<string>();
        foreach (var member in root.Members)
        {
            switch (member)
            {
                case GlobalStatementSyntax { Statement: LocalDeclarationStatementSyntax local }
                    when local.Modifiers.Count == 0 && local.Declaration.Variables.All(v => v.Initializer is null):
                    foreach (var variable in local.Declaration.Variables)
                    {
                        variables.Add($"    public static {local.Declaration.Type} {variable.Identifier.Text} {{ get; set; }} = default!;");
                    }

                    break;
                case BaseTypeDeclarationSyntax or DelegateDeclarationSyntax:
                    types.Add(member.ToFullString());
                    break;
                default:
                    problems.Add($"a preamble declares variables without a value and types, but line {member.GetLocation().GetLineSpan().StartLinePosition.Line + 1} is: {member.ToString().Split('\n')[0]}");
                    break;
            }
        }

        // A preamble may opt in to an experimental API (#pragma warning disable MEAI001): keep its opt-ins.
        var pragmas = root.DescendantTrivia()
            .Select(t => t.GetStructure())
            .OfType<PragmaWarningDirectiveTriviaSyntax>()
            .Where(p => p.DisableOrRestoreKeyword.IsKind(SyntaxKind.DisableKeyword))
            .Select(p => p.ToString());
        var source = string.Join('\n', pragmas.Concat(root.Usings.Select(u => u.ToString())))
            + "\n\ninternal static class Given\n{\n" + string.Join('\n', variables) + "\n}\n\n" + string.Join('\n', types);
        return new Preamble(code, [.. PackageLines.Names(code)], source, problems);
    }
}
