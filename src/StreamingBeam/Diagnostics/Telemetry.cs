using System.Diagnostics;
using System.Reflection;

namespace StreamingBeam.Diagnostics;

/// <summary>The library's one <see cref="ActivitySource"/> and the helpers every instrumented piece shares.</summary>
internal static class Telemetry
{
    /// <summary>Gets the package version given to the activity source and the meter (without the commit hash).</summary>
    public static string Version { get; } = GetVersion();

    /// <summary>Gets the source of every span. Process-wide, as activity sources have no factory; never disposed.</summary>
    public static ActivitySource Source { get; } = new(StreamingBeamTelemetry.SourceName, Version);

    /// <summary>Starts a span that does not become <see cref="Activity.Current"/>, for work that hands its context to
    /// children explicitly (an async iterator cannot keep an ambient value across its yields).</summary>
    public static Activity? StartDetached(string name, ActivityKind kind, ActivityContext parent = default)
    {
        var previous = Activity.Current;
        var activity = Source.StartActivity(name, kind, parent); // a default parent means the ambient one
        Activity.Current = previous;
        return activity;
    }

    /// <summary>Gets the <c>error.type</c> value of an exception: its full type name, as the OpenTelemetry conventions
    /// recommend. Exception messages are never recorded, because a provider's message may echo a prompt.</summary>
    public static string ErrorType(Exception exception) => exception.GetType().FullName ?? exception.GetType().Name;

    /// <summary>Marks a span as failed with <paramref name="exception"/>'s type and no message.</summary>
    public static void SetError(Activity activity, Exception exception)
    {
        activity.SetStatus(ActivityStatusCode.Error);
        activity.SetTag(TelemetryTags.ErrorType, ErrorType(exception));
    }

    private static string GetVersion()
    {
        var assembly = typeof(Telemetry).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
