using StreamingBeam.Samples.Web.Beam;
using StreamingBeam.Testing;

namespace StreamingBeam.Samples.Web.Tests.EndToEnd;

/// <summary>The sample's simulated providers with zero latency: real PNG images and scores, with no waiting.</summary>
internal sealed class InstantSimulatedBeam : IBeamEngineFactory
{
    public string Description => "instant simulated providers";

    public IBeamSearchEngine Create(long seed)
    {
        var providers = SimulatedProviders.Create(seed, SimulatedProvidersOptions.Instant());
        return new BeamSearchEngine(providers.Llm, providers.ImageGenerator, providers.VisionScorer);
    }
}
