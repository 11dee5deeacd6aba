namespace StreamingBeam.Tests.Providers;

public class ProviderUsageTests
{
    [Fact]
    public void Add_SumsEveryFigure()
    {
        var a = new ProviderUsage(InputTokens: 10, OutputTokens: 5, Images: 1, Cost: 0.25m);
        var b = new ProviderUsage(InputTokens: 3, OutputTokens: 7, Images: 2, Cost: 0.5m);

        var sum = a + b;

        Assert.Equal(new ProviderUsage(13, 12, 3, 0.75m), sum);
        Assert.Equal(25, sum.TotalTokens);
        Assert.Equal(sum, a.Add(b));
    }

    [Fact]
    public void None_IsTheIdentity()
    {
        var a = new ProviderUsage(1, 2, 3, 4m);

        Assert.Equal(a, a + ProviderUsage.None);
    }
}
