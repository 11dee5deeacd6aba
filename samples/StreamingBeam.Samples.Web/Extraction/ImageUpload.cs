using System.Globalization;
using StbImageSharp;
using StreamingBeam.Samples.Console.Imaging;
using StreamingBeam.Samples.Web.Hosting;

namespace StreamingBeam.Samples.Web.Extraction;

/// <summary>Checks an uploaded image before any run starts: present, not empty, within the byte limit, whole, within
/// the pixel limit (read from the header, before any pixel is decoded), and decodable.</summary>
/// <remarks>
/// Memory per image is bounded by the limits, not by what a file claims: the header is read first, and only an image
/// of at most <see cref="WebSampleOptions.MaxImagePixels"/> pixels is decoded, once, one decode at a time in the whole
/// process (stb_image needs up to about 10 bytes per pixel while it works; the result keeps 3).
/// </remarks>
internal static class ImageUpload
{
    public const string FieldName = "image";

    private const string Formats = "PNG, JPEG, BMP, GIF, TGA or PSD";

    private static readonly SemaphoreSlim OneDecodeAtATime = new(1, 1);

    /// <summary>Returns the decoded upload, or the problem (status and message) that rejects it.</summary>
    public static async Task<(UploadedImage? Image, UploadProblem? Problem)> CheckAsync(
        byte[] data, string? name, string? mediaType, WebSampleOptions options, CancellationToken cancellationToken)
    {
        var what = $"The file{Quote(name)} ({data.Length.ToString("N0", CultureInfo.InvariantCulture)} bytes)";
        if (data.Length == 0)
        {
            return (null, new UploadProblem(StatusCodes.Status400BadRequest, $"The file{Quote(name)} is empty: upload an image ({Formats})."));
        }

        if (data.Length > options.MaxUploadBytes)
        {
            return (null, TooLarge(data.Length, options.MaxUploadBytes));
        }

        if (ImageStructure.FindDamage(data) is { } damage)
        {
            return (null, NotAnImage($"{what} is not a whole image: {damage}. Upload the complete file."));
        }

        ImageInfo? header;
        using (var stream = new MemoryStream(data, writable: false))
        {
            header = ImageInfo.FromStream(stream);
        }

        if (header is not { Width: > 0, Height: > 0 } info)
        {
            return (null, NotAnImage($"{what} is not a decodable image: its header is not that of a {Formats} file."));
        }

        var pixels = (long)info.Width * info.Height;
        if (pixels > options.MaxImagePixels)
        {
            return (null, new UploadProblem(
                StatusCodes.Status413PayloadTooLarge,
                string.Create(CultureInfo.InvariantCulture, $"{what} is an image of {info.Width:N0} x {info.Height:N0} = {pixels:N0} pixels; the limit is {options.MaxImagePixels:N0} pixels. Send a smaller image.")));
        }

        await OneDecodeAtATime.WaitAsync(cancellationToken);
        try
        {
            var image = Decode(data, what);
            return image.Problem is null
                ? (new UploadedImage(new ExtractionInput { Data = data, Name = name, MediaType = mediaType }, image.Image!), null)
                : (null, image.Problem);
        }
        finally
        {
            OneDecodeAtATime.Release();
        }
    }

    public static UploadProblem TooLarge(long length, long maxBytes) => new(
        StatusCodes.Status413PayloadTooLarge,
        string.Create(CultureInfo.InvariantCulture, $"The upload{(length > 0 ? $" ({length:N0} bytes)" : string.Empty)} exceeds the limit of {maxBytes:N0} bytes."));

    public static UploadProblem Missing() => new(
        StatusCodes.Status400BadRequest,
        $"No file: send the image as multipart/form-data in a file field named '{FieldName}'.");

    private static (DecodedImage? Image, UploadProblem? Problem) Decode(byte[] data, string what)
    {
        ImageResult result;
        try
        {
            result = ImageResult.FromMemory(data, ColorComponents.RedGreenBlue);
        }
#pragma warning disable CA1031 // stb_image reports bad data with several exception types; each becomes one clear 415.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return (null, NotAnImage($"{what} is not a decodable image ({Formats}): the decoder stopped with \"{ImageStructure.Printable(ex.Message)}\"."));
        }

        if (result?.Data is not { } pixels || result.Width < 1 || result.Height < 1 || pixels.Length != result.Width * result.Height * 3)
        {
            return (null, NotAnImage($"{what} decoded to no usable pixels."));
        }

        return (new DecodedImage(result.Width, result.Height, pixels), null);
    }

    private static UploadProblem NotAnImage(string detail) => new(StatusCodes.Status415UnsupportedMediaType, detail);

    private static string Quote(string? name) => string.IsNullOrEmpty(name) ? string.Empty : $" '{name}'";
}
