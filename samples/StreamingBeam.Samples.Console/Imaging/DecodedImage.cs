namespace StreamingBeam.Samples.Console.Imaging;

/// <summary>An image decoded to 8-bit RGB pixels, the artifact that the image extractors share.</summary>
/// <remarks>Immutable once built, so any number of extractors can read it at once.</remarks>
internal sealed class DecodedImage
{
    private readonly Lazy<float[]> _luma;

    public DecodedImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length != width * height * 3)
        {
            throw new ArgumentException($"A {width} x {height} RGB image needs {width * height * 3} bytes; got {pixels.Length}.", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
        _luma = new Lazy<float[]>(ComputeLuma);
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Gets the pixels, three bytes (R, G, B) each, rows from the top. Do not modify.</summary>
    public byte[] Pixels { get; }

    public int PixelCount => Width * Height;

    /// <summary>Gets each pixel's luma in [0, 1] (Rec. 709 weights on the encoded values), computed once on first use.</summary>
    public float[] Luma => _luma.Value;

    private float[] ComputeLuma()
    {
        var luma = new float[PixelCount];
        for (var i = 0; i < luma.Length; i++)
        {
            luma[i] = ((0.2126f * Pixels[i * 3]) + (0.7152f * Pixels[(i * 3) + 1]) + (0.0722f * Pixels[(i * 3) + 2])) / 255f;
        }

        return luma;
    }
}
