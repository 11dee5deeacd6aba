namespace StreamingBeam.Tests.Faults;

/// <summary>A seeded mix of permanent, transient and invalid-output faults over every call of a search.</summary>
internal static class BeamSeededFaults
{
    /// <summary>Gets the fault of a call: the same for every attempt of the same call, so retries meet the same fault.</summary>
    public static Fault Plan(int seed, ProviderCall call)
    {
        var u = Draw.Unit(seed, "fault", call.Scope, call.Operation, call.Subject);
        return u switch
        {
            < 0.04 => Fault.Throw,
            < 0.08 => Fault.Invalid,
            < 0.16 => Fault.Transient(1 + Draw.Int(seed, 2, "failures", call.Scope, call.Operation, call.Subject)),
            _ => Fault.None,
        };
    }

    /// <summary>Gets the options of a seeded search: three iterations, one immediate retry.</summary>
    public static BeamSearchOptions Options(string variant) => BeamFaultScenario.Options(variant, o =>
    {
        o.MaxIterations = 3;
        o.Retry = new BeamRetryOptions { MaxRetries = 1, BaseDelay = TimeSpan.Zero };
    });
}
