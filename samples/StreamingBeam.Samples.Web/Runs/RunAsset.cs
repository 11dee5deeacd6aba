namespace StreamingBeam.Samples.Web.Runs;

/// <summary>A binary a run made (a generated image), served by URL so that events stay small.</summary>
internal sealed record RunAsset(ReadOnlyMemory<byte> Data, string MediaType);
