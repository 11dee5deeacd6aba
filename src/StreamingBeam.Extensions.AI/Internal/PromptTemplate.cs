using System.Text.RegularExpressions;

namespace StreamingBeam.Extensions.AI;

/// <summary>Renders and checks the <c>{{Name}}</c> placeholders of the adapters' prompt templates.</summary>
/// <remarks>
/// Double braces keep JSON examples such as <c>{"score": 7}</c> literal inside a template. Rendering is one pass, so
/// a value that itself contains <c>{{...}}</c> (a user's prompt, a model's critique) is inserted verbatim, never expanded.
/// </remarks>
internal static partial class PromptTemplate
{
    [GeneratedRegex(@"\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    /// <summary>Replaces every known placeholder with its value; unknown ones stay as written.</summary>
    public static string Render(string template, Func<string, string?> valueOf) =>
        Placeholder().Replace(template, match => valueOf(match.Groups[1].Value) ?? match.Value);

    /// <summary>Adds to <paramref name="errors"/> what is wrong with <paramref name="template"/>.</summary>
    public static void Validate(
        string optionName,
        string? template,
        IReadOnlyList<string> allowed,
        IReadOnlyList<string> required,
        List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(template))
        {
            errors.Add($"{optionName} must not be null, empty or white space.");
            return;
        }

        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in Placeholder().Matches(template))
        {
            var name = match.Groups[1].Value;
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                errors.Add($"{optionName} uses the unknown placeholder {{{{{name}}}}}; it may use {Describe(allowed)}.");
            }

            used.Add(name);
        }

        foreach (var name in required)
        {
            if (!used.Contains(name))
            {
                errors.Add($"{optionName} must contain the placeholder {{{{{name}}}}}.");
            }
        }
    }

    private static string Describe(IReadOnlyList<string> names) => string.Join(", ", names.Select(n => "{{" + n + "}}"));
}
