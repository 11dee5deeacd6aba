using StreamingBeam.Samples.Console.Imaging;

namespace StreamingBeam.Samples.Web.Extraction;

/// <summary>Makes the extraction engine for one run. Tests replace it (through DI) with gated or counting fakes.</summary>
internal interface IExtractionEngineFactory
{
    /// <summary>Makes an engine for one upload. <paramref name="image"/> is the upload already decoded (by the checks
    /// that accepted it), so the run's extractors share it instead of decoding the bytes a second time.</summary>
    ExtractionEngine Create(DecodedImage image);
}
