using System.Globalization;
using StreamingBeam.Samples.Console.Imaging;

namespace StreamingBeam.Samples.Web.Extraction;

/// <summary>Checks an uploaded image before any run starts: present, not empty, within the size limit, decodable.</summary>
internal static class ImageUpload
{
    public const string FieldName = "image";

    /// <summary>Returns the extraction input, or the problem (status and message) that rejects the upload.</summary>
    public static (ExtractionInput? Input, UploadProblem? Problem) Check(ReadOnlyMemory<byte> data, string? name, string? mediaType, long maxBytes)
    {
        if (data.IsEmpty)
        {
            return (null, new UploadProblem(StatusCodes.Status400BadRequest, $"The file{Quote(name)} is empty: upload an image (PNG, JPEG, BMP, GIF, TGA or PSD)."));
        }

        if (data.Length > maxBytes)
        {
            return (null, TooLarge(data.Length, maxBytes));
        }

        var input = new ExtractionInput { Data = data, Name = name, MediaType = mediaType };
        try
        {
            // Decoded once here as well, so that a file that is not an image is one clear 415 rather than a run of failures.
            ImageDecoder.Decode(input);
        }
        catch (ImageDecodeException ex)
        {
            return (null, new UploadProblem(StatusCodes.Status415UnsupportedMediaType, ex.Message));
        }

        return (input, null);
    }

    public static UploadProblem TooLarge(long length, long maxBytes) => new(
        StatusCodes.Status413PayloadTooLarge,
        string.Create(CultureInfo.InvariantCulture, $"The upload{(length > 0 ? $" ({length:N0} bytes)" : string.Empty)} exceeds the limit of {maxBytes:N0} bytes."));

    public static UploadProblem Missing() => new(
        StatusCodes.Status400BadRequest,
        $"No file: send the image as multipart/form-data in a file field named '{FieldName}'.");

    private static string Quote(string? name) => string.IsNullOrEmpty(name) ? string.Empty : $" '{name}'";
}
