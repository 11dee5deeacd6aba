namespace StreamingBeam.Extensions.AI.Tests;

public class ProviderResponseExceptionTests
{
    [Fact]
    public void Message_Reply_GivesItsLengthButNeverItsText()
    {
        var reply = "{\"prompt\": \"\", \"note\": \"a lighthouse at dusk\"}" + new string('x', 600);

        var exception = new ProviderResponseException("Op", "bad reply", reply);

        Assert.Equal($"Op: bad reply. The reply ({reply.Length} characters) is in RawReply, not quoted here.", exception.Message);
        Assert.DoesNotContain("lighthouse", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("lighthouse", exception.ToString(), StringComparison.Ordinal);
        Assert.Equal(reply, exception.RawReply);
        Assert.Equal("Op", exception.Operation);
    }

    [Fact]
    public void Message_EmptyReply_SaysSo()
    {
        var exception = new ProviderResponseException("Op", "bad reply", string.Empty);

        Assert.Equal("Op: bad reply. The reply was empty.", exception.Message);
    }

    [Fact]
    public void Message_NoReply_NamesOperationAndReason()
    {
        var exception = new ProviderResponseException("Op", "no image", rawReply: null);

        Assert.Equal("Op: no image.", exception.Message);
        Assert.Null(exception.RawReply);
    }
}
