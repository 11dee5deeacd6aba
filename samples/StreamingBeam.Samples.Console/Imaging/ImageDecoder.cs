using StbImageSharp;

namespace StreamingBeam.Samples.Console.Imaging;

/// <summary>Decodes encoded images (PNG, JPEG and the other formats stb_image reads) to RGB pixels.</summary>
/// <remarks>Register <see cref="Decode(ExtractionInput)"/> as the preprocessor of <see cref="SampleArtifacts.DecodedImage"/>,
/// so that a run decodes its input once for all the image extractors.</remarks>
internal static class ImageDecoder
{
    /// <summary>Decodes an extraction run's input.</summary>
    /// <exception cref="ImageDecodeException">The input's bytes are not a decodable image.</exception>
    public static DecodedImage Decode(ExtractionInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Decode(input.Data, input.Name, input.MediaType);
    }

    /// <summary>Decodes encoded image bytes.</summary>
    /// <exception cref="ImageDecodeException">The bytes are not a decodable image.</exception>
    public static DecodedImage Decode(ReadOnlyMemory<byte> data, string? name = null, string? mediaType = null)
    {
        var what = $"The input{(name is null ? string.Empty : $" '{name}'")} ({data.Length} bytes{(mediaType is null ? string.Empty : ", " + mediaType)})";
        if (data.IsEmpty)
        {
            throw new ImageDecodeException($"{what} is empty, so it is not a decodable image.");
        }

        ImageResult result;
        try
        {
            result = ImageResult.FromMemory(data.ToArray(), ColorComponents.RedGreenBlue);
        }
#pragma warning disable CA1031 // stb_image reports bad data with several exception types; each becomes one clear decode error.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            throw new ImageDecodeException($"{what} is not a decodable image (PNG, JPEG, BMP, GIF, TGA or PSD): {ex.Message}", ex);
        }

        if (result is null || result.Data is null || result.Width < 1 || result.Height < 1 || result.Data.Length != result.Width * result.Height * 3)
        {
            throw new ImageDecodeException($"{what} decoded to no usable pixels.");
        }

        return new DecodedImage(result.Width, result.Height, result.Data);
    }
}
