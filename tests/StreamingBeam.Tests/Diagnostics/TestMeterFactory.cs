using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace StreamingBeam.Tests.Diagnostics;

/// <summary>A meter factory of the test's own: its meters are distinct objects from every other test's, so a
/// <c>MetricCollector</c> on them sees only this test's measurements.</summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly ConcurrentDictionary<string, Meter> _meters = new();

    public IReadOnlyCollection<Meter> Meters => _meters.Values.ToArray();

    public Meter Create(MeterOptions options)
    {
        // As the runtime's factory does: one meter per name and version, scoped to this factory.
        return _meters.GetOrAdd(options.Name + "/" + options.Version, _ => new Meter(new MeterOptions(options.Name)
        {
            Version = options.Version,
            Tags = options.Tags,
            Scope = this,
        }));
    }

    public void Dispose()
    {
        foreach (var meter in _meters.Values)
        {
            meter.Dispose();
        }
    }
}
