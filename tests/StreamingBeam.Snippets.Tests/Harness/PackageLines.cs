using System.Text.RegularExpressions;

namespace StreamingBeam.Snippets.Tests.Harness;

/// <summary>Reads the <c>// dotnet add package X</c> lines of a block: the only packages, besides StreamingBeam itself,
/// that the block is compiled against.</summary>
internal static partial class PackageLines
{
    public static IEnumerable<string> Names(string code) =>
        AddPackage().Matches(code).Select(m => m.Groups["id"].Value);

    [GeneratedRegex(@"^[ \t]*//[ \t]*dotnet add package[ \t]+(?<id>[A-Za-z0-9_.\-]+)", RegexOptions.Multiline)]
    private static partial Regex AddPackage();
}
