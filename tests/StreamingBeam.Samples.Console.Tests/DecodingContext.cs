using System.Text.Json.Nodes;
using StreamingBeam.Samples.Console.Imaging;

namespace StreamingBeam.Samples.Console.Tests;

/// <summary>An extraction context for running the image extractors without an engine: it decodes the input on first
/// request, once, as an engine's shared preprocessing does, and counts the decodes.</summary>
internal sealed class DecodingContext : ExtractionContext
{
    private readonly Lazy<DecodedImage> _decoded;
    private int _decodes;

    public DecodingContext(byte[] data, string mediaType = "image/png")
    {
        Input = new ExtractionInput { Data = data, MediaType = mediaType, Name = "test" };
        _decoded = new Lazy<DecodedImage>(() =>
        {
            Interlocked.Increment(ref _decodes);
            return ImageDecoder.Decode(Input);
        });
    }

    public override ExtractionInput Input { get; }

    public int Decodes => Volatile.Read(ref _decodes);

    public override ValueTask<T> GetArtifactAsync<T>(ArtifactKey<T> key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (key.Name != SampleArtifacts.DecodedImage.Name)
        {
            throw new KeyNotFoundException($"No preprocessor is registered for artifact '{key.Name}'.");
        }

        return ValueTask.FromResult((T)(object)_decoded.Value);
    }

    public override JsonObject? GetDependencyResult(string extractorName) => null;

    public override void PublishProvisional(JsonObject tokens)
    {
    }
}
