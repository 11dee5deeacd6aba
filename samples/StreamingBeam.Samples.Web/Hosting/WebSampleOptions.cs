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

    /// <summary>Gets or sets the longest prompt accepted, in characters.</summary>
    public int MaxPromptLength { get; set; } = 500;

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

        if (MaxPromptLength < 1)
        {
            yield return $"{SectionName}:{nameof(MaxPromptLength)} must be at least 1; it is {MaxPromptLength}.";
        }
    }
}
