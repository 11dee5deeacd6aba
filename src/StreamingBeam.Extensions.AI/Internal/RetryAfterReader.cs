using System.Globalization;
using System.Text.RegularExpressions;

namespace StreamingBeam.Extensions.AI;

/// <summary>Reads how long a rate-limited service asked its callers to wait, from the headers of its 429 answer or,
/// when they say nothing, from its error message. The one place that knows these formats.</summary>
/// <remarks>
/// <para>In order, the first that gives a value wins:</para>
/// <list type="number">
/// <item><c>retry-after-ms</c> (or <c>x-ms-retry-after-ms</c>): milliseconds, the most precise instruction (OpenAI and
/// Azure OpenAI send it).</item>
/// <item><c>Retry-After</c>: seconds, or an HTTP date, measured from the answer's <c>Date</c> header when it has one (the
/// server's own clock, so a skewed local clock does not matter) and from now otherwise.</item>
/// <item><c>x-ratelimit-reset-requests</c> and <c>x-ratelimit-reset-tokens</c> (durations such as <c>20s</c>,
/// <c>1m30s</c>, <c>6ms</c>, <c>0.5s</c>): when each resets. These come with every answer, not only with 429s, so
/// only the limits that are used up count: a reset whose <c>x-ratelimit-remaining-*</c> is 0. When the headers do
/// not say which is used up, all of them count. The longest one that counts is taken: waiting less than that would
/// be refused again.</item>
/// <item>The message: <c>Please try again in 20s.</c>, <c>Please retry after 20 seconds.</c> and the like.</item>
/// </list>
/// <para>A value that is negative, or that is not a number or a duration, is skipped. An HTTP date in the past is zero. A
/// value longer than <see cref="MaxWait"/> is read as <see cref="MaxWait"/>: far longer than any engine waits for a
/// cooldown, so the call fails instead of waiting.</para>
/// </remarks>
internal static partial class RetryAfterReader
{
    /// <summary>The longest wait read; longer values are read as this.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromDays(1);

    private static readonly string[] MillisecondHeaders = ["retry-after-ms", "x-ms-retry-after-ms"];

    private static readonly (string Reset, string Remaining)[] ResetHeaders =
    [
        ("x-ratelimit-reset-requests", "x-ratelimit-remaining-requests"),
        ("x-ratelimit-reset-tokens", "x-ratelimit-remaining-tokens"),
    ];

    /// <summary>Reads the wait from <paramref name="header"/> (a case-insensitive lookup of one header's value) and,
    /// failing that, from <paramref name="message"/>.</summary>
    /// <param name="header">Gives a header's value, or <see langword="null"/> when the answer does not have it.</param>
    /// <param name="message">The service's error message, or <see langword="null"/>.</param>
    /// <param name="now">The local time, for an HTTP date when the answer has no <c>Date</c> header.</param>
    /// <returns>The wait, or <see langword="null"/> when the service did not say.</returns>
    public static TimeSpan? Read(Func<string, string?> header, string? message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(header);
        foreach (var name in MillisecondHeaders)
        {
            if (TryParseNumber(header(name), out var milliseconds))
            {
                return Cap(milliseconds / 1000);
            }
        }

        if (RetryAfter(header("Retry-After"), header("Date"), now) is { } retryAfter)
        {
            return retryAfter;
        }

        return LongestExhaustedReset(header) ?? FromMessage(message);
    }

    /// <summary>Reads a duration as OpenAI's rate-limit headers write it (Go's format: <c>1h2m3.5s</c>, <c>20s</c>,
    /// <c>6ms</c>, <c>0.5s</c>, <c>120ns</c>; units h, m, s, ms, us or µs, ns), or a bare number of seconds.</summary>
    /// <param name="text">The text to read.</param>
    /// <param name="duration">The duration, capped at <see cref="MaxWait"/>.</param>
    /// <returns><see langword="true"/> when the whole text is such a duration.</returns>
    public static bool TryParseDuration(string? text, out TimeSpan duration)
    {
        duration = default;
        if (TryParseNumber(text, out var seconds))
        {
            duration = Cap(seconds);
            return true;
        }

        var rest = text.AsSpan().Trim();
        if (rest.IsEmpty)
        {
            return false;
        }

        var totalSeconds = 0.0;
        while (!rest.IsEmpty)
        {
            var digits = 0;
            while (digits < rest.Length && (char.IsAsciiDigit(rest[digits]) || rest[digits] == '.'))
            {
                digits++;
            }

            if (digits == 0 || !double.TryParse(rest[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                return false;
            }

            rest = rest[digits..];
            var letters = 0;
            while (letters < rest.Length && char.IsLetter(rest[letters]))
            {
                letters++;
            }

            double? unitSeconds = rest[..letters] switch
            {
                "h" => 3600,
                "m" => 60,
                "s" => 1,
                "ms" => 1e-3,
                "us" or "µs" or "μs" => 1e-6,
                "ns" => 1e-9,
                _ => null,
            };
            if (unitSeconds is not { } factor)
            {
                return false;
            }

            totalSeconds += amount * factor;
            rest = rest[letters..].TrimStart();
        }

        duration = Cap(totalSeconds);
        return true;
    }

    /// <summary>Reads the wait from a rate-limit message: <c>Please try again in 20s.</c>, <c>try again in 1m30s</c>,
    /// <c>Please retry after 20 seconds.</c>, <c>retry in 500 ms</c>.</summary>
    /// <param name="message">The message, or <see langword="null"/>.</param>
    /// <returns>The wait, or <see langword="null"/> when the message does not say.</returns>
    public static TimeSpan? FromMessage(string? message)
    {
        if (string.IsNullOrEmpty(message))
        {
            return null;
        }

        var match = WaitInMessage().Match(message);
        if (!match.Success)
        {
            return null;
        }

        // "in 20s." and "in 7." end a sentence: the period is not part of the wait, and the next word is not its unit.
        var amount = match.Groups["amount"].Value;
        var endsSentence = amount.EndsWith('.');
        amount = amount.TrimEnd('.');
        var word = match.Groups["word"].Success && !endsSentence ? match.Groups["word"].Value.Trim() : string.Empty;
        if (word.Length == 0 && TryParseDuration(amount, out var duration))
        {
            return duration;
        }

        // "20 seconds", "20seconds", "1.5 minutes".
        var digits = 0;
        while (digits < amount.Length && (char.IsAsciiDigit(amount[digits]) || amount[digits] == '.'))
        {
            digits++;
        }

        if (!TryParseNumber(amount[..digits], out var number))
        {
            return null;
        }

        var unit = digits < amount.Length ? amount[digits..] : word;
        double? seconds = unit.ToUpperInvariant() switch
        {
            "MS" or "MILLISECOND" or "MILLISECONDS" => number / 1000,
            "S" or "SEC" or "SECS" or "SECOND" or "SECONDS" => number,
            "M" or "MIN" or "MINS" or "MINUTE" or "MINUTES" => number * 60,
            "H" or "HOUR" or "HOURS" => number * 3600,
            _ => null,
        };
        return seconds is { } value ? Cap(value) : null;
    }

    private static TimeSpan? RetryAfter(string? value, string? date, DateTimeOffset now)
    {
        if (TryParseNumber(value, out var seconds))
        {
            return Cap(seconds);
        }

        if (!TryParseHttpDate(value, out var at))
        {
            return null;
        }

        var from = TryParseHttpDate(date, out var serverNow) ? serverNow : now;
        return at <= from ? TimeSpan.Zero : Cap((at - from).TotalSeconds);
    }

    private static TimeSpan? LongestExhaustedReset(Func<string, string?> header)
    {
        TimeSpan? exhausted = null;
        TimeSpan? any = null;
        foreach (var (resetName, remainingName) in ResetHeaders)
        {
            if (!TryParseDuration(header(resetName), out var reset))
            {
                continue;
            }

            any = Max(any, reset);
            if (TryParseNumber(header(remainingName), out var remaining) && remaining <= 0)
            {
                exhausted = Max(exhausted, reset);
            }
        }

        // A limit with requests or tokens left did not refuse the call. When no header says which limit is used up,
        // every reset counts.
        return exhausted ?? any;
    }

    private static TimeSpan? Max(TimeSpan? current, TimeSpan candidate) =>
        current is { } value && value >= candidate ? value : candidate;

    private static bool TryParseNumber(string? text, out double value) =>
        double.TryParse(text?.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value)
        && double.IsFinite(value);

    private static bool TryParseHttpDate(string? text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(
            text?.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    private static TimeSpan Cap(double seconds) =>
        seconds >= MaxWait.TotalSeconds ? MaxWait : TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));

    [GeneratedRegex(
        @"(?:try\s+again|retry)\s+(?:in|after)\s+(?<amount>[0-9][0-9a-zµμ.]*)(?<word>\s+[a-z]+)?",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WaitInMessage();
}
