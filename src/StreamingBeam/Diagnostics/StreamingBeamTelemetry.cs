namespace StreamingBeam;

/// <summary>The names under which StreamingBeam publishes traces and metrics through <c>System.Diagnostics</c>.</summary>
/// <remarks>
/// <para>
/// Both engines write spans to one <see cref="System.Diagnostics.ActivitySource"/> named <see cref="SourceName"/> and
/// measurements to one <see cref="System.Diagnostics.Metrics.Meter"/> named <see cref="MeterName"/>, each versioned
/// with the package version. Nothing is recorded, and almost nothing is allocated, until a listener subscribes: with
/// OpenTelemetry, <c>AddSource(StreamingBeamTelemetry.SourceName)</c> and <c>AddMeter(StreamingBeamTelemetry.MeterName)</c>.
/// </para>
/// <para>
/// Engines built by dependency injection create their meter from the container's
/// <see cref="System.Diagnostics.Metrics.IMeterFactory"/> when one is registered; otherwise they share one
/// process-wide meter. Span, tag and instrument names are listed in the telemetry documentation. No tag carries a
/// prompt, an image or a key.
/// </para>
/// </remarks>
public static class StreamingBeamTelemetry
{
    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/> that StreamingBeam's spans come from.</summary>
    public const string SourceName = "StreamingBeam";

    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> that StreamingBeam's instruments belong to.</summary>
    public const string MeterName = "StreamingBeam";
}
