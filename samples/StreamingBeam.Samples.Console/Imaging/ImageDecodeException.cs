namespace StreamingBeam.Samples.Console.Imaging;

/// <summary>The input of an extraction run is not an image the sample can decode (PNG, JPEG, BMP, GIF, TGA, PSD).</summary>
internal sealed class ImageDecodeException : Exception
{
    public ImageDecodeException()
        : base("The input is not a decodable image.")
    {
    }

    public ImageDecodeException(string message)
        : base(message)
    {
    }

    public ImageDecodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
