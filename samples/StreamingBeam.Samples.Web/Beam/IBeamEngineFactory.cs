namespace StreamingBeam.Samples.Web.Beam;

/// <summary>Makes the beam-search engine for one run. Tests replace it (through DI) with gated fakes.</summary>
internal interface IBeamEngineFactory
{
    /// <summary>Describes the providers, for the <c>search_started</c> event.</summary>
    string Description { get; }

    IBeamSearchEngine Create(long seed);
}
