namespace StreamingBeam.Extensions.AI.Tests.Internal;

public class RetryAfterReaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 15, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("20s", 20_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("6ms", 6)]
    [InlineData("0.5s", 500)]
    [InlineData("1h2m3.5s", 3_723_500)]
    [InlineData("2m", 120_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("1500us", 1.5)]
    [InlineData("1500µs", 1.5)]
    [InlineData("2000000ns", 2)]
    [InlineData("12", 12_000)]
    [InlineData(" 7.25 ", 7_250)]
    [InlineData("1m 30s", 90_000)]
    public void TryParseDuration_OpenAIAndGoForms(string text, double milliseconds)
    {
        Assert.True(RetryAfterReader.TryParseDuration(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("-5s")]
    [InlineData("5x")]
    [InlineData("s")]
    [InlineData("5s!")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void TryParseDuration_NotADuration_IsFalse(string? text)
    {
        Assert.False(RetryAfterReader.TryParseDuration(text, out _));
    }

    [Theory]
    [InlineData("99999999999999999999")]
    [InlineData("100000h")]
    [InlineData("1e300")]
    public void TryParseDuration_Huge_IsReadAsTheLongestWait(string text)
    {
        var parsed = RetryAfterReader.TryParseDuration(text, out var duration);

        // "1e300" has an exponent, which is no duration at all; the others are read, and capped.
        if (text.Contains('e', StringComparison.Ordinal))
        {
            Assert.False(parsed);
        }
        else
        {
            Assert.True(parsed);
            Assert.Equal(RetryAfterReader.MaxWait, duration);
        }
    }

    [Theory]
    [InlineData("retry-after-ms", "1500", 1_500)]
    [InlineData("x-ms-retry-after-ms", "250", 250)]
    [InlineData("Retry-After", "20", 20_000)]
    [InlineData("retry-after", "0", 0)]
    [InlineData("x-ratelimit-reset-requests", "1m30s", 90_000)]
    [InlineData("x-ratelimit-reset-tokens", "6ms", 6)]
    public void Read_EachHeaderForm(string name, string value, double milliseconds)
    {
        var wait = RetryAfterReader.Read(Headers((name, value)), message: null, Now);

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), wait);
    }

    [Fact]
    public void Read_RetryAfterDate_IsMeasuredFromTheAnswersDateHeader()
    {
        // The server's clock says 15:00:00 and asks for 15:00:30; the local clock is 5 minutes late, which must not matter.
        var wait = RetryAfterReader.Read(
            Headers(("Retry-After", "Wed, 02 Dec 2026 15:00:30 GMT"), ("Date", "Wed, 02 Dec 2026 15:00:00 GMT")),
            message: null,
            Now.AddMinutes(-5));

        Assert.Equal(TimeSpan.FromSeconds(30), wait);
    }

    [Fact]
    public void Read_RetryAfterDate_WithoutADateHeader_IsMeasuredFromNow()
    {
        var wait = RetryAfterReader.Read(Headers(("Retry-After", "Wed, 02 Dec 2026 15:00:42 GMT")), message: null, Now);

        Assert.Equal(TimeSpan.FromSeconds(42), wait);
    }

    [Fact]
    public void Read_RetryAfterDateInThePast_IsZero()
    {
        var wait = RetryAfterReader.Read(Headers(("Retry-After", "Wed, 02 Dec 2026 14:59:00 GMT")), message: null, Now);

        Assert.Equal(TimeSpan.Zero, wait);
    }

    [Fact]
    public void Read_MillisecondsWinOverRetryAfter_WhichWinsOverResets_WhichWinOverTheMessage()
    {
        var all = new (string, string)[]
        {
            ("retry-after-ms", "1500"), ("Retry-After", "2"), ("x-ratelimit-reset-requests", "3s"),
        };

        Assert.Equal(TimeSpan.FromMilliseconds(1500), RetryAfterReader.Read(Headers(all), "Please try again in 4s.", Now));
        Assert.Equal(TimeSpan.FromSeconds(2), RetryAfterReader.Read(Headers(all[1..]), "Please try again in 4s.", Now));
        Assert.Equal(TimeSpan.FromSeconds(3), RetryAfterReader.Read(Headers(all[2..]), "Please try again in 4s.", Now));
        Assert.Equal(TimeSpan.FromSeconds(4), RetryAfterReader.Read(Headers(), "Please try again in 4s.", Now));
    }

    [Fact]
    public void Read_AnUnreadableHeader_IsSkipped_AndTheNextFormIsRead()
    {
        var wait = RetryAfterReader.Read(Headers(("retry-after-ms", "soon"), ("Retry-After", "-3"), ("x-ratelimit-reset-tokens", "8s")), message: null, Now);

        Assert.Equal(TimeSpan.FromSeconds(8), wait);
    }

    [Fact]
    public void Read_Resets_OnlyTheUsedUpLimitCounts()
    {
        // Requests are used up (reset in 1 s); tokens are not (their bucket refills fully in 6 min, which does not matter).
        var wait = RetryAfterReader.Read(
            Headers(
                ("x-ratelimit-reset-requests", "1s"), ("x-ratelimit-remaining-requests", "0"),
                ("x-ratelimit-reset-tokens", "6m0s"), ("x-ratelimit-remaining-tokens", "149000")),
            message: null,
            Now);

        Assert.Equal(TimeSpan.FromSeconds(1), wait);
    }

    [Fact]
    public void Read_Resets_BothUsedUp_TheLongerWins()
    {
        var wait = RetryAfterReader.Read(
            Headers(
                ("x-ratelimit-reset-requests", "1s"), ("x-ratelimit-remaining-requests", "0"),
                ("x-ratelimit-reset-tokens", "12s"), ("x-ratelimit-remaining-tokens", "0")),
            message: null,
            Now);

        Assert.Equal(TimeSpan.FromSeconds(12), wait);
    }

    [Fact]
    public void Read_Resets_WhenTheHeadersDoNotSayWhichIsUsedUp_TheLongestWins()
    {
        var wait = RetryAfterReader.Read(Headers(("x-ratelimit-reset-requests", "2s"), ("x-ratelimit-reset-tokens", "500ms")), message: null, Now);

        Assert.Equal(TimeSpan.FromSeconds(2), wait);
    }

    [Theory]
    [InlineData("Rate limit reached for gpt-4o-mini in organization org-x on tokens per min (TPM): Limit 200000, Used 199000. Please try again in 20s. Visit https://example.invalid to learn more.", 20_000)]
    [InlineData("Please try again in 1m30s.", 90_000)]
    [InlineData("Please try again in 6ms.", 6)]
    [InlineData("Please try again in 0.5s", 500)]
    [InlineData("Requests to the ChatCompletions_Create Operation have exceeded the call rate limit. Please retry after 20 seconds.", 20_000)]
    [InlineData("Try again in 59 seconds.", 59_000)]
    [InlineData("please retry in 500 ms", 500)]
    [InlineData("retry after 2 minutes", 120_000)]
    [InlineData("retry after 1 hour", 3_600_000)]
    [InlineData("Please try again in 20seconds.", 20_000)]
    [InlineData("Please try again in 7.", 7_000)]
    public void FromMessage_CommonForms(string message, double milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), RetryAfterReader.FromMessage(message));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Rate limit reached. Please try again later.")]
    [InlineData("Please try again in a few minutes.")]
    [InlineData("Please try again in 20 fortnights.")]
    public void FromMessage_NoWaitGiven_IsNull(string? message)
    {
        Assert.Null(RetryAfterReader.FromMessage(message));
    }

    [Fact]
    public void Read_NothingAnywhere_IsNull()
    {
        Assert.Null(RetryAfterReader.Read(Headers(), "Too Many Requests", Now));
    }

    private static Func<string, string?> Headers(params (string Name, string Value)[] headers)
    {
        var map = headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase);
        return name => map.TryGetValue(name, out var value) ? value : null;
    }
}
