using StreamingBeam.Samples.Console.Imaging;

namespace StreamingBeam.Samples.Web.Extraction;

/// <summary>An upload that passed every check, decoded once: the run's extractors share <see cref="Image"/>.</summary>
internal sealed record UploadedImage(ExtractionInput Input, DecodedImage Image);
