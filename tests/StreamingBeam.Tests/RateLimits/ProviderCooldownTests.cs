using Microsoft.Extensions.Time.Testing;
using StreamingBeam.Concurrency;

namespace StreamingBeam.Tests.RateLimits;

/// <summary>The shared cooldown on its own, on a fake clock: pause, order, pace, and what a canceled waiter leaves.</summary>
public class ProviderCooldownTests
{
    [Fact]
    public void WithoutARefusal_CallsPassAtOnce()
    {
        var cooldown = new ProviderCooldown(new FakeTimeProvider());

        for (var i = 0; i < 5; i++)
        {
            Assert.True(cooldown.WaitAsync(CancellationToken.None).AsTask().IsCompletedSuccessfully);
        }

        Assert.Equal(TimeSpan.Zero, cooldown.Pace);
    }

    [Fact]
    public async Task ARefusal_PausesEveryCaller_ThenAdmitsThemOneByOneOldestFirst()
    {
        var time = new FakeTimeProvider();
        var cooldown = new ProviderCooldown(time);
        var admittedAt = await cooldown.WaitAsync(CancellationToken.None);

        cooldown.OnRateLimited(admittedAt, TimeSpan.FromSeconds(20));
        var waiters = Enumerable.Range(0, 3).Select(_ => cooldown.WaitAsync(CancellationToken.None).AsTask()).ToArray();

        time.Advance(TimeSpan.FromSeconds(20) - TimeSpan.FromTicks(1));
        Assert.All(waiters, w => Assert.False(w.IsCompleted));

        // The pause ends: the oldest goes, and the others follow at the pace the refusal announced, not all together.
        time.Advance(TimeSpan.FromTicks(1));
        await waiters[0];
        Assert.False(waiters[1].IsCompleted);
        time.Advance(TimeSpan.FromSeconds(20));
        await waiters[1];
        Assert.False(waiters[2].IsCompleted);
        time.Advance(TimeSpan.FromSeconds(20));
        await waiters[2];
    }

    [Fact]
    public async Task ASecondRefusal_MeasuresTheProvidersInterval()
    {
        var time = new FakeTimeProvider();
        var cooldown = new ProviderCooldown(time);

        // The first refusal says the next permit comes in 100 ms; that is all the cooldown knows.
        cooldown.OnRateLimited(await cooldown.WaitAsync(CancellationToken.None), TimeSpan.FromMilliseconds(100));
        Assert.Equal(TimeSpan.FromMilliseconds(100), cooldown.Pace);

        // Five calls go, at the announced permit time and then at the pace; the fifth (at 500 ms) is refused with the
        // next permit 500 ms away. The provider accepted 4 calls between the permit at 100 ms and the one at 1000 ms:
        // its interval is 900 ms / 4.
        var admissions = new List<long>();
        var waiters = Enumerable.Range(0, 5).Select(_ => cooldown.WaitAsync(CancellationToken.None).AsTask()).ToArray();
        for (var i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            admissions.Add(await waiters[i]);
        }

        cooldown.OnRateLimited(admissions[4], TimeSpan.FromMilliseconds(500));
        Assert.Equal(TimeSpan.FromMilliseconds(225), cooldown.Pace);
    }

    [Fact]
    public async Task AcceptedCalls_ShortenAMeasuredPaceByTwoPercent_SoAnOutageDoesNotSlowEverythingForever()
    {
        var time = new FakeTimeProvider();
        var cooldown = new ProviderCooldown(time);

        // Refused, then one call accepted at the permit time, then the next one refused: the interval is measured (1 s).
        cooldown.OnRateLimited(await cooldown.WaitAsync(CancellationToken.None), TimeSpan.FromSeconds(1));
        var first = cooldown.WaitAsync(CancellationToken.None).AsTask();
        var second = cooldown.WaitAsync(CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromSeconds(1));
        await first;
        time.Advance(TimeSpan.FromSeconds(1));
        cooldown.OnRateLimited(await second, TimeSpan.FromMilliseconds(500));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), cooldown.Pace);

        for (var i = 0; i < 10; i++)
        {
            cooldown.OnAccepted();
        }

        Assert.Equal(1500 * Math.Pow(0.98, 10), cooldown.Pace.TotalMilliseconds, precision: 3);
    }

    [Fact]
    public async Task AcceptedCalls_HalveAPaceOnlyEstimatedFromOneRefusal_SoAWholeSecondRetryAfterIsNotTakenForTheRate()
    {
        var time = new FakeTimeProvider();
        var cooldown = new ProviderCooldown(time);
        cooldown.OnRateLimited(await cooldown.WaitAsync(CancellationToken.None), TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromSeconds(10), cooldown.Pace);

        for (var i = 0; i < 10; i++)
        {
            cooldown.OnAccepted();
        }

        Assert.Equal(10_000 * Math.Pow(0.5, 10), cooldown.Pace.TotalMilliseconds, precision: 3);
    }

    [Fact]
    public async Task ACanceledWaiter_LeavesTheQueueAtOnce_AndTheNextOneTakesItsTurn()
    {
        var time = new FakeTimeProvider();
        var cooldown = new ProviderCooldown(time);
        cooldown.OnRateLimited(await cooldown.WaitAsync(CancellationToken.None), TimeSpan.FromSeconds(1));
        using var cts = new CancellationTokenSource();
        var canceled = cooldown.WaitAsync(cts.Token).AsTask();
        var next = cooldown.WaitAsync(CancellationToken.None).AsTask();
        Assert.Equal(2, cooldown.Waiting);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => canceled);
        Assert.Equal(1, cooldown.Waiting);
        time.Advance(TimeSpan.FromSeconds(1));
        await next;
        Assert.Equal(0, cooldown.Waiting);
    }
}
