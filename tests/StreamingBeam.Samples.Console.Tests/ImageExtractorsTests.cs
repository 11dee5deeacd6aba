using System.Text.Json.Nodes;
using StreamingBeam.Samples.Console.Extractors;
using StreamingBeam.Samples.Console.Imaging;

namespace StreamingBeam.Samples.Console.Tests;

public class ImageExtractorsTests
{
    private static async Task<JsonObject> RunAsync(IExtractor extractor, byte[] png)
    {
        var output = await extractor.ExtractAsync(new DecodingContext(png));
        Assert.Equal(ProviderUsage.None, output.Usage);
        return Assert.IsType<JsonObject>(output.Tokens[extractor.Name]);
    }

    private static List<(string Hex, double Share)> Colors(JsonObject palette) =>
        palette["colors"]!.AsArray().Select(c => (c!["hex"]!.GetValue<string>(), c["share"]!.GetValue<double>())).ToList();

    [Fact]
    public async Task Palette_SolidRed_IsRedAtFullShare()
    {
        var palette = await RunAsync(new PaletteExtractor(), TestImages.Solid(20, 10, 255, 0, 0));

        Assert.Equal([("#FF0000", 1.0)], Colors(palette));
    }

    [Fact]
    public async Task Palette_HalfBlackHalfWhite_IsBlackAndWhiteAtHalfEach()
    {
        var palette = await RunAsync(new PaletteExtractor(), TestImages.HalfBlackHalfWhite(32, 32));

        Assert.Equal([("#000000", 0.5), ("#FFFFFF", 0.5)], Colors(palette));
    }

    [Fact]
    public async Task Palette_ManyColours_KeepsTheFiveLargestWithSharesSummingToOne()
    {
        // Six vertical stripes of different widths; the narrowest must be merged into a neighbour.
        (byte, byte, byte)[] stripes = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0), (0, 0, 0), (255, 255, 255)];
        int[] widths = [30, 25, 20, 15, 8, 2];
        var edges = widths.Select((_, i) => widths.Take(i + 1).Sum()).ToArray();
        var png = TestImages.Paint(100, 10, (x, _) => stripes[Array.FindIndex(edges, e => x < e)]);

        var colors = Colors(await RunAsync(new PaletteExtractor(), png));

        Assert.Equal(PaletteExtractor.MaxColors, colors.Count);
        Assert.Equal(1.0, colors.Sum(c => c.Share), 3);
        Assert.Equal(("#FF0000", 0.3), colors[0]);
        Assert.Equal(("#00FF00", 0.25), colors[1]);
        Assert.True(colors.Zip(colors.Skip(1)).All(pair => pair.First.Share >= pair.Second.Share), "Colours are not sorted by share.");
    }

    [Fact]
    public async Task Brightness_HalfBlackHalfWhite_HasMeanAndContrastOfHalf()
    {
        var result = await RunAsync(new BrightnessContrastExtractor(), TestImages.HalfBlackHalfWhite(64, 64));

        Assert.Equal(0.5, result["mean"]!.GetValue<double>(), 4);
        Assert.Equal(0.5, result["contrast"]!.GetValue<double>(), 4);
        Assert.Equal("balanced", result["level"]!.GetValue<string>());
    }

    [Fact]
    public async Task Brightness_SolidColour_HasItsLumaAndNoContrast()
    {
        var result = await RunAsync(new BrightnessContrastExtractor(), TestImages.Solid(16, 16, 255, 0, 0));

        Assert.Equal(0.2126, result["mean"]!.GetValue<double>(), 4);
        Assert.Equal(0, result["contrast"]!.GetValue<double>(), 4);
        Assert.Equal("dark", result["level"]!.GetValue<string>());
    }

    [Fact]
    public async Task Edges_VerticalSplit_AreTwoColumnsDownTheMiddle()
    {
        var result = await RunAsync(new EdgeDensityExtractor(), TestImages.HalfBlackHalfWhite(64, 48));

        Assert.Equal(2.0 / 64, result["density"]!.GetValue<double>(), 6);
        Assert.Equal("vertical", result["direction"]!.GetValue<string>());
        Assert.Equal(0.5, result["centroid"]!["x"]!.GetValue<double>(), 4);
        Assert.Equal(0.5, result["centroid"]!["y"]!.GetValue<double>(), 4);
    }

    [Fact]
    public async Task Edges_HorizontalSplit_RunHorizontally()
    {
        var result = await RunAsync(new EdgeDensityExtractor(), TestImages.TopBlackBottomWhite(40, 40));

        Assert.Equal(2.0 / 40, result["density"]!.GetValue<double>(), 6);
        Assert.Equal("horizontal", result["direction"]!.GetValue<string>());
    }

    [Fact]
    public async Task Edges_SolidImage_HasNone()
    {
        var result = await RunAsync(new EdgeDensityExtractor(), TestImages.Solid(16, 16, 10, 200, 30));

        Assert.Equal(0, result["density"]!.GetValue<double>());
        Assert.Equal("none", result["direction"]!.GetValue<string>());
        Assert.Null(result["centroid"]);
    }

    [Fact]
    public async Task Edges_FaintStepBelowThreshold_IsNotAnEdge()
    {
        // A step of 40 grey levels has magnitude 40/255 = 0.157, below the default 0.25 and above 0.1.
        var png = TestImages.Paint(20, 20, (x, _) => x < 10 ? ((byte)100, (byte)100, (byte)100) : ((byte)140, (byte)140, (byte)140));

        var strict = await RunAsync(new EdgeDensityExtractor(), png);
        var lenient = await RunAsync(new EdgeDensityExtractor(threshold: 0.1), png);

        Assert.Equal(0, strict["density"]!.GetValue<double>());
        Assert.Equal(0.1, lenient["density"]!.GetValue<double>(), 6);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(2.0)]
    public void Edges_InvalidThreshold_Throws(double threshold)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new EdgeDensityExtractor(threshold));
        Assert.Equal("threshold", ex.ParamName);
    }

    [Theory]
    [InlineData(160, 90, 1.7778, "landscape", "16:9")]
    [InlineData(30, 40, 0.75, "portrait", "3:4")]
    [InlineData(25, 25, 1.0, "square", "1:1")]
    [InlineData(101, 100, 1.01, "landscape", "1:1")]
    public async Task Aspect_ReportsSizeRatioOrientationAndNearestCommonRatio(int width, int height, double ratio, string orientation, string nearest)
    {
        var result = await RunAsync(new AspectRatioExtractor(), TestImages.Solid(width, height, 1, 2, 3));

        Assert.Equal(width, result["width"]!.GetValue<int>());
        Assert.Equal(height, result["height"]!.GetValue<int>());
        Assert.Equal(ratio, result["ratio"]!.GetValue<double>(), 4);
        Assert.Equal(orientation, result["orientation"]!.GetValue<string>());
        Assert.Equal(nearest, result["nearest"]!.GetValue<string>());
    }

    [Fact]
    public async Task AllExtractors_OnOneContext_DecodeTheImageOnce()
    {
        var context = new DecodingContext(TestImages.HalfBlackHalfWhite(16, 16));
        IExtractor[] extractors = [new PaletteExtractor(), new BrightnessContrastExtractor(), new EdgeDensityExtractor(), new AspectRatioExtractor()];

        var outputs = await Task.WhenAll(extractors.Select(e => e.ExtractAsync(context)));

        Assert.Equal(1, context.Decodes);
        Assert.Equal(extractors.Select(e => e.Name), outputs.Select(o => o.Tokens.Single().Key));
    }

    [Fact]
    public async Task Extractor_InputNotAnImage_FailsWithAClearDecodeError()
    {
        var context = new DecodingContext("this is not an image"u8.ToArray(), "text/plain");

        var ex = await Assert.ThrowsAsync<ImageDecodeException>(() => new PaletteExtractor().ExtractAsync(context));

        Assert.StartsWith("The input 'test' (20 bytes, text/plain) is not a decodable image", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_EmptyInput_Throws()
    {
        var ex = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(ReadOnlyMemory<byte>.Empty));

        Assert.Contains("is empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_TruncatedPng_Throws()
    {
        var png = TestImages.HalfBlackHalfWhite(32, 32);

        Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(png.AsMemory(0, 40)));
    }

    [Fact]
    public async Task Extractor_CanceledToken_EndsWithOperationCanceled()
    {
        var context = new DecodingContext(TestImages.Solid(8, 8, 0, 0, 0));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new EdgeDensityExtractor().ExtractAsync(context, new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task Decode_SimulatedGeneratorImage_MatchesItsSize()
    {
        // The simulated generator's PNGs decode with an independent decoder: what the sample extracts from is real.
        var generator = new StreamingBeam.Testing.SimulatedImageGenerator(1, new StreamingBeam.Testing.SimulatedImageGeneratorOptions
        {
            Latency = StreamingBeam.Testing.LatencyDistribution.Zero, Width = 48, Height = 32,
        });
        var image = await generator.GenerateAsync("a red fox at dawn");

        var decoded = ImageDecoder.Decode(image.Data);

        Assert.Equal((48, 32), (decoded.Width, decoded.Height));
    }
}
