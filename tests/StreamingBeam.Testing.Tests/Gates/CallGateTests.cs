using StreamingBeam.Testing;

namespace StreamingBeam.Testing.Tests.Gates;

public class CallGateTests
{
    [Fact]
    public async Task Call_WaitsUntilReleased()
    {
        var gate = new CallGate();

        var call = gate.EnterAsync("a");
        await gate.WaitForStartAsync("a");

        Assert.False(call.IsCompleted);
        Assert.Equal(1, gate.InFlight);
        gate.Release("a");
        await call;
        Assert.Equal(0, gate.InFlight);
    }

    [Fact]
    public async Task PreReleasedKey_PassesStraightThrough()
    {
        var gate = new CallGate();
        gate.Release("a");

        await gate.EnterAsync("a");

        Assert.True(gate.HasStarted("a"));
    }

    [Fact]
    public async Task Fail_MakesTheCallThrow()
    {
        var gate = new CallGate();
        gate.Fail("a", new TimeoutException("boom"));

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => gate.EnterAsync("a"));
        Assert.Equal("boom", ex.Message);
    }

    [Fact]
    public async Task CanceledCall_IsRecordedAndLeavesNothingInFlight()
    {
        var gate = new CallGate();
        using var cts = new CancellationTokenSource();

        var call = gate.EnterAsync("a", cts.Token);
        await gate.WaitForStartAsync("a");
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(["a"], gate.Canceled);
        Assert.Equal(0, gate.InFlight);
    }

    [Fact]
    public async Task SecondCallWithSameKey_Throws()
    {
        var gate = new CallGate(autoRelease: _ => true);
        await gate.EnterAsync("a");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => gate.EnterAsync("a"));
        Assert.Contains("'a'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Started_ListsKeysInEntryOrder()
    {
        var gate = new CallGate(autoRelease: k => k != "held");

        await gate.EnterAsync("first");
        var held = gate.EnterAsync("held");
        await gate.EnterAsync("last");

        Assert.Equal(["first", "held", "last"], gate.Started);
        Assert.False(held.IsCompleted);
        gate.Release("held");
        await held;
    }
}
