namespace StreamingBeam.Samples.Web.Runs;

/// <summary>Why a run was canceled, as reported in its <c>canceled</c> event.</summary>
internal static class CancelReasons
{
    /// <summary>A client asked for it with <c>DELETE</c>.</summary>
    public const string Deleted = "deleted";

    /// <summary>No client was connected to the run's event stream for the whole grace period.</summary>
    public const string Abandoned = "abandoned";

    /// <summary>The WebSocket that owned the run closed.</summary>
    public const string ClientDisconnected = "client_disconnected";

    /// <summary>The server is shutting down.</summary>
    public const string ServerStopping = "server_stopping";
}
