using StreamingBeam.Benchmarks.Limits;

namespace StreamingBeam.Benchmarks.Tests;

public class SlotUsageTests
{
    private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);

    [Fact]
    public void Of_TwoSlots_SplitsIdleTimeByWhatWaited()
    {
        (TimeSpan, TimeSpan, TimeSpan)[] images =
        [
            (Ms(5), Ms(10), Ms(30)),
            (Ms(5), Ms(10), Ms(20)),
            (Ms(15), Ms(20), Ms(40)),
            (Ms(42), Ms(42), Ms(45)),
        ];

        var usage = SlotUsage.Of(images, Ms(50), slots: 2);

        Assert.Equal(Ms(53), usage.ImageTime);
        Assert.Equal(Ms(10), usage.Head);
        Assert.Equal(Ms(10), usage.IdleWhileWaiting);
        Assert.Equal(Ms(14), usage.Middle);
        Assert.Equal(Ms(13), usage.Tail);
        Assert.Equal(Ms(50) * 2, usage.ImageTime + usage.Head + usage.Middle + usage.Tail + usage.IdleWhileWaiting);
        Assert.Equal(Ms(53) / 2, usage.ImageWall);
    }

    [Fact]
    public void Of_NoImage_IsAllHead()
    {
        var usage = SlotUsage.Of([], Ms(7), slots: 3);

        Assert.Equal(Ms(21), usage.Head);
        Assert.Equal(TimeSpan.Zero, usage.ImageTime);
    }
}
