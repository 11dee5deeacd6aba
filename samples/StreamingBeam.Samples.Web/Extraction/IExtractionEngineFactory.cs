namespace StreamingBeam.Samples.Web.Extraction;

/// <summary>Makes the extraction engine for one run. Tests replace it (through DI) with gated or counting fakes.</summary>
internal interface IExtractionEngineFactory
{
    ExtractionEngine Create();
}
