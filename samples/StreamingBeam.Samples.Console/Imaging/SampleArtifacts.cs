namespace StreamingBeam.Samples.Console.Imaging;

/// <summary>The shared artifacts of the sample's extraction runs.</summary>
internal static class SampleArtifacts
{
    /// <summary>The run's input decoded to RGB pixels, computed once (by <see cref="ImageDecoder.Decode(ExtractionInput)"/>) and
    /// shared by every image extractor.</summary>
    public static readonly ArtifactKey<DecodedImage> DecodedImage = new("decoded-image");
}
