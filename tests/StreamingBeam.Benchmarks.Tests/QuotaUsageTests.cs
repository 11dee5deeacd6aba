using StreamingBeam.Benchmarks.Limits;

namespace StreamingBeam.Benchmarks.Tests;

public class QuotaUsageTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void LevelBefore_NoCall_IsTheBurst()
    {
        Assert.Equal(5, QuotaUsage.LevelBefore([], 10, 5, S(3)), 9);
    }

    [Fact]
    public void LevelBefore_AfterABurst_RefillsAtTheRateUpToTheBurst()
    {
        TimeSpan[] accepted = [S(0), S(0), S(0), S(0), S(0)];

        Assert.Equal(0, QuotaUsage.LevelBefore(accepted, 10, 5, S(0.0000001)), 5);
        Assert.Equal(2.5, QuotaUsage.LevelBefore(accepted, 10, 5, S(0.25)), 9);
        Assert.Equal(5, QuotaUsage.LevelBefore(accepted, 10, 5, S(1)), 9);
    }

    [Fact]
    public void Utilisation_EachWaitingCallAcceptedTheMomentATokenAppears_IsOne()
    {
        // Burst 1, 10 a second: six calls ready at once go at 0, 0.1, ..., 0.5 s.
        var calls = Calls(Enumerable.Range(0, 6).Select(i => (0.0, (double?)(i / 10.0))).ToArray());

        var usage = QuotaUsage.Utilisation(calls, 10, 1);

        Assert.Equal(1.0, usage.Value, 9);
        Assert.Equal(0, usage.TokensLost, 9);
        Assert.Equal(S(0.5), usage.Waiting);
    }

    [Fact]
    public void Utilisation_CallsHalfAnIntervalLate_CountsTheTokensLeftInTheBucket()
    {
        // Burst 1: the first call goes at once, the others each 50 ms after their token: 1.5 tokens are left at 0.45 s.
        var calls = Calls((0, 0), (0, 0.15), (0, 0.30), (0, 0.45));

        var usage = QuotaUsage.Utilisation(calls, 10, 1);

        Assert.Equal(1.5, usage.TokensLost, 9);
        Assert.Equal(4 / 5.5, usage.Value, 9);
    }

    [Fact]
    public void Utilisation_TokenLeftAtTheEndOfOneWaitAndUsedInTheNext_CountsAsUsedOnce()
    {
        // The second call goes 50 ms late (0.5 token left), the third uses that token: nothing is lost in the end.
        var calls = Calls((0, 0), (0.05, 0.15), (0.17, 0.2));

        var usage = QuotaUsage.Utilisation(calls, 10, 1);

        Assert.Equal(1.0, usage.Value, 9);
        Assert.Equal(0, usage.TokensLost, 9);
    }

    [Fact]
    public void Utilisation_ImageGivenUpOn_WaitsUntilTheLaneGaveUp()
    {
        var calls = ImageCalls.Match([("a", S(0)), ("b", S(0))], [Accepted("a", 0)], [("b", S(0.3))]);

        var usage = QuotaUsage.Utilisation(calls, 10, 1);

        Assert.Equal(S(0.3), usage.Waiting);
        Assert.Equal(1 / 4.0, usage.Value, 9);
    }

    [Fact]
    public void Cooldowns_RefusalDuringAnAnnouncedPause_BelongsToThatCooldown()
    {
        ImageAttempt[] refusals = [Refused(0, 0.1), Refused(0.05, 0.05), Refused(0.2, 0.01), Refused(0.3, 0.01)];

        var count = QuotaUsage.Cooldowns(refusals);

        Assert.Equal(3, count.Cooldowns);
        Assert.Equal(2, count.MostRefusalsInOne);
    }

    [Fact]
    public void Cooldowns_NoRefusal_NoCooldown()
    {
        Assert.Equal(new CooldownCount(0, 0), QuotaUsage.Cooldowns([]));
    }

    private static ImageCalls Calls(params (double Ready, double? Accepted)[] calls) =>
        ImageCalls.Match(
            calls.Select((c, i) => ($"p{i}", S(c.Ready))),
            calls.Select((c, i) => (c, i)).Where(x => x.c.Accepted is not null).Select(x => Accepted($"p{x.i}", x.c.Accepted!.Value)),
            []);

    private static ImageAttempt Accepted(string prompt, double at) => new(prompt, S(at), Accepted: true, TimeSpan.Zero, Ended: null);

    private static ImageAttempt Refused(double at, double retryAfter) => new("p", S(at), Accepted: false, S(retryAfter), Ended: null);
}
