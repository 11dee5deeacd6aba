using System.Text.Json.Nodes;

namespace StreamingBeam.Samples.Web.Tests.Infrastructure;

/// <summary>One Server-Sent Events block as it came over the wire: its raw lines and its parsed fields.</summary>
internal sealed record SseFrame(IReadOnlyList<string> Lines, long? Id, string? Event, string? Data, long? Retry)
{
    public JsonObject Json => JsonNode.Parse(Data ?? throw new InvalidOperationException("The frame has no data."))!.AsObject();
}
