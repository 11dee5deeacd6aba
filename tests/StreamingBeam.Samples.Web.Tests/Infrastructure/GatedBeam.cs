using StreamingBeam.Samples.Web.Beam;
using StreamingBeam.Testing;

namespace StreamingBeam.Samples.Web.Tests.Infrastructure;

/// <summary>A beam engine factory on the gated fakes: every provider call waits on <see cref="Providers"/>' gate
/// unless <c>autoRelease</c> lets it through.</summary>
internal sealed class GatedBeam(Func<string, bool>? autoRelease = null) : IBeamEngineFactory
{
    private int _created;

    public GatedBeamProviders Providers { get; } = new(autoRelease);

    public CallGate Gate => Providers.Gate;

    public int Created => Volatile.Read(ref _created);

    public string Description => "gated fakes";

    public IBeamSearchEngine Create(long seed)
    {
        Interlocked.Increment(ref _created);
        return new BeamSearchEngine(Providers.Llm, Providers.Images, Providers.Scorer);
    }
}
