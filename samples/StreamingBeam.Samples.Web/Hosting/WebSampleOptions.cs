using StreamingBeam.Samples.Web.Http;

namespace StreamingBeam.Samples.Web.Hosting;

/// <summary>The web sample's limits, bound from the <c>WebSample</c> configuration section.</summary>
internal sealed class WebSampleOptions
{
    public const string SectionName = "WebSample";

    /// <summary>Gets or sets how many runs the server keeps at once, running or finished. A new run first evicts the
    /// oldest finished ones; when every kept run is still running the request gets 503.</summary>
    public int MaxRuns { get; set; } = 16;

    /// <summary>Gets or sets how long a finished run stays available for replay.</summary>
    public TimeSpan FinishedRunRetention { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how long a run may have no client on its event stream before it is canceled.</summary>
    public TimeSpan ClientGracePeriod { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets or sets the largest image accepted, in bytes.</summary>
    public long MaxUploadBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Gets or sets the most pixels (width x height) an uploaded image may decode to. The byte limit alone
    /// does not bound memory: a 140 KB PNG can declare 12000 x 12000 pixels, 432 MB once decoded.</summary>
    public long MaxImagePixels { get; set; } = 4 * 1024 * 1024;

    /// <summary>Gets or sets the longest prompt accepted, in Unicode code points (an emoji counts once).</summary>
    public int MaxPromptLength { get; set; } = 500;

    /// <summary>Gets or sets how long an extraction WebSocket may go without receiving any part of its image.</summary>
    public TimeSpan SocketIdleTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how long an extraction WebSocket may take to receive its whole image.</summary>
    public TimeSpan SocketUploadTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets host names (no scheme, no port) that requests may name in <c>Host</c> besides the loopback
    /// names and the hosts of the listen addresses; <c>*</c> allows any (and gives up the DNS-rebinding defence).</summary>
    public string[] AllowedHosts { get; set; } = [];

    /// <summary>Gets or sets origins (<c>scheme://host[:port]</c>) whose pages may call the API and open the WebSocket,
    /// besides the server's own; <c>*</c> allows any.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    public IEnumerable<string> Validate()
    {
        if (MaxRuns < 1)
        {
            yield return $"{SectionName}:{nameof(MaxRuns)} must be at least 1; it is {MaxRuns}.";
        }

        if (FinishedRunRetention <= TimeSpan.Zero)
        {
            yield return $"{SectionName}:{nameof(FinishedRunRetention)} must be positive; it is {FinishedRunRetention}.";
        }

        if (ClientGracePeriod <= TimeSpan.Zero)
        {
            yield return $"{SectionName}:{nameof(ClientGracePeriod)} must be positive; it is {ClientGracePeriod}.";
        }

        if (MaxUploadBytes < 1)
        {
            yield return $"{SectionName}:{nameof(MaxUploadBytes)} must be at least 1; it is {MaxUploadBytes}.";
        }

        if (MaxImagePixels < 1)
        {
            yield return $"{SectionName}:{nameof(MaxImagePixels)} must be at least 1; it is {MaxImagePixels}.";
        }

        if (SocketIdleTimeout <= TimeSpan.Zero)
        {
            yield return $"{SectionName}:{nameof(SocketIdleTimeout)} must be positive; it is {SocketIdleTimeout}.";
        }

        if (SocketUploadTimeout <= TimeSpan.Zero)
        {
            yield return $"{SectionName}:{nameof(SocketUploadTimeout)} must be positive; it is {SocketUploadTimeout}.";
        }

        foreach (var host in AllowedHosts)
        {
            if (string.IsNullOrWhiteSpace(host) || host.Contains('/', StringComparison.Ordinal) || (host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[')))
            {
                yield return $"{SectionName}:{nameof(AllowedHosts)} holds host names such as 'sample.example' or '192.168.1.20' (no scheme, no port), or '*'; '{host}' is not one.";
            }
        }

        foreach (var origin in AllowedOrigins)
        {
            if (origin != "*" && RequestOrigins.Normalize(origin) is null)
            {
                yield return $"{SectionName}:{nameof(AllowedOrigins)} holds origins such as 'https://sample.example' or 'http://localhost:3000' (scheme, host and port, no path), or '*'; '{origin}' is not one.";
            }
        }

        if (MaxPromptLength < 1)
        {
            yield return $"{SectionName}:{nameof(MaxPromptLength)} must be at least 1; it is {MaxPromptLength}.";
        }
    }
}
