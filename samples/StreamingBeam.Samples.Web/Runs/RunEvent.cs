namespace StreamingBeam.Samples.Web.Runs;

/// <summary>One event of a run: its sequence id (1, 2, 3 ... within the run), its type and its JSON payload.</summary>
/// <param name="Id">The sequence id, sent as the Server-Sent Events <c>id:</c> field and accepted back as <c>Last-Event-ID</c>.</param>
/// <param name="Type">The event type, sent as the <c>event:</c> field.</param>
/// <param name="Data">The payload, one line of JSON, sent as the <c>data:</c> field or as one WebSocket text message.</param>
internal sealed record RunEvent(long Id, string Type, string Data);
