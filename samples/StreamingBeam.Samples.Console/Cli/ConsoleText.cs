using System.Text;

namespace StreamingBeam.Samples.Console.Cli;

/// <summary>Small text helpers that keep the sample's output one line per thing.</summary>
internal static class ConsoleText
{
    /// <summary>"1 iteration", "3 iterations".</summary>
    public static string Count(long count, string singular, string? plural = null) =>
        $"{count} {(count == 1 ? singular : plural ?? singular + "s")}";

    /// <summary>A message on one line: line breaks and runs of white space become one space, and a long message is
    /// cut at <paramref name="maxLength"/> with an ellipsis, so that a provider's multi-line error cannot break the
    /// layout.</summary>
    public static string OneLine(string? text, int maxLength = 160)
    {
        var builder = new StringBuilder();
        var space = false;
        foreach (var c in text ?? string.Empty)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.Length <= maxLength ? builder.ToString() : string.Concat(builder.ToString(0, maxLength - 1), "…");
    }
}
