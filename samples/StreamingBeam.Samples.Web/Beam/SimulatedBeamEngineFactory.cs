using StreamingBeam.Testing;

namespace StreamingBeam.Samples.Web.Beam;

/// <summary>A beam-search engine on the simulated providers (seeded LLM, image generator and vision scorer with
/// realistic latencies), as the console sample runs by default.</summary>
internal sealed class SimulatedBeamEngineFactory(ILoggerFactory loggerFactory) : IBeamEngineFactory
{
    public string Description => "simulated providers";

    public IBeamSearchEngine Create(long seed)
    {
        var providers = SimulatedProviders.Create(seed);
        return new BeamSearchEngine(providers.Llm, providers.ImageGenerator, providers.VisionScorer, loggerFactory: loggerFactory);
    }
}
