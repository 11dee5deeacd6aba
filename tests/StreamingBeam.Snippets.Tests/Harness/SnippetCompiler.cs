using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace StreamingBeam.Snippets.Tests.Harness;

/// <summary>
/// Compiles a block as a user would paste it into the Program.cs of a new <c>dotnet new console</c> app: nullable on,
/// the console template's implicit usings, C# 12 (the .NET 8 default, so that a block holds for both target
/// frameworks). A block with statements is a program; a block of declarations only is a library.
/// </summary>
internal static class SnippetCompiler
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    /// <summary>What every SDK project suppresses (NoWarn 1701;1702): assembly version unification notes.</summary>
    private static readonly Dictionary<string, ReportDiagnostic> SdkNoWarn = new()
    {
        ["CS1701"] = ReportDiagnostic.Suppress,
        ["CS1702"] = ReportDiagnostic.Suppress,
    };

    /// <summary>The global usings of the console template (<c>ImplicitUsings</c> enabled).</summary>
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    /// <summary>Compiles a block and returns every error and warning, each as "file:line: id: message", with the line
    /// of the Markdown file.</summary>
    public static IReadOnlyList<string> Compile(MarkdownSnippet snippet, SnippetReferences references)
    {
        var trees = new List<SyntaxTree> { CSharpSyntaxTree.ParseText(ImplicitUsings, ParseOptions, "ImplicitUsings.cs") };
        var problems = new List<string>();
        if (snippet.Preamble is { } preamble)
        {
            problems.AddRange(preamble.Problems.Select(p => $"{snippet}: {p}"));
            trees.Add(CSharpSyntaxTree.ParseText(preamble.Source, ParseOptions, "Given.cs"));
            if (!snippet.IsPreamble)
            {
                trees.Add(CSharpSyntaxTree.ParseText("global using static Given;", ParseOptions, "UsingGiven.cs"));
            }
        }

        SyntaxTree? block = null;
        if (!snippet.IsPreamble)
        {
            block = CSharpSyntaxTree.ParseText(snippet.Code, ParseOptions, snippet.File);
            trees.Add(block);
        }

        var isProgram = block?.GetCompilationUnitRoot().Members.OfType<GlobalStatementSyntax>().Any() == true;
        var compilation = CSharpCompilation.Create(
            "Snippet",
            trees,
            references.For(snippet.Packages),
            new CSharpCompilationOptions(
                isProgram ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                specificDiagnosticOptions: SdkNoWarn));

        foreach (var diagnostic in compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && !d.IsSuppressed))
        {
            var span = diagnostic.Location.GetLineSpan();
            var where = span.Path == snippet.File
                ? $"{snippet.File}:{snippet.Line + 1 + span.StartLinePosition.Line}"
                : span.Path == "Given.cs" ? $"{snippet.File} (preamble)" : snippet.ToString();
            problems.Add($"{where}: {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
        }

        return problems;
    }
}
