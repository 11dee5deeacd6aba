namespace StreamingBeam.Testing.Tests.Simulation;

public class SimulatedImageGeneratorTests
{
    private static SimulatedImageGenerator Generator(long seed = 3, int size = 64, bool render = true) =>
        new(seed, new SimulatedImageGeneratorOptions { Latency = LatencyDistribution.Zero, Width = size, Height = size + 8, RenderImages = render });

    [Fact]
    public async Task GenerateAsync_RendersAValidPngOfTheConfiguredSize()
    {
        var image = await Generator().GenerateAsync("a red fox under a starry night sky beside a frozen lake");

        Assert.Equal("image/png", image.MediaType);
        var png = PngReader.Read(image.Data.ToArray());
        Assert.Equal(64, png.Width);
        Assert.Equal(72, png.Height);
        Assert.Equal(64 * 72 * 3, png.Pixels.Length);
    }

    [Fact]
    public async Task GenerateAsync_RecordsThePromptAndCountsTheImage()
    {
        var generator = new SimulatedImageGenerator(3, new SimulatedImageGeneratorOptions { Latency = LatencyDistribution.Zero, CostPerImage = 0.5m, Width = 8, Height = 8 });

        var image = await generator.GenerateAsync("a blue boat");

        Assert.Equal("a blue boat", image.Metadata!["prompt"]);
        Assert.Equal(true, image.Metadata["simulated"]);
        Assert.Equal(1, image.Usage.Images);
        Assert.Equal(0.5m, image.Usage.Cost);
    }

    [Fact]
    public async Task GenerateAsync_SamePrompt_SameBytes_DifferentPromptOrSeed_DifferentBytes()
    {
        var a = await Generator(3).GenerateAsync("a green hill");
        var b = await Generator(3).GenerateAsync("a green hill");
        var c = await Generator(3).GenerateAsync("a green hill at dawn");
        var d = await Generator(4).GenerateAsync("a green hill");

        Assert.Equal(a.Data.ToArray(), b.Data.ToArray());
        Assert.NotEqual(a.Data.ToArray(), c.Data.ToArray());
        Assert.NotEqual(a.Data.ToArray(), d.Data.ToArray());
    }

    [Fact]
    public async Task GenerateAsync_ColourWordInPrompt_DominatesThePicture()
    {
        var image = await Generator(size: 64).GenerateAsync("red");

        var png = PngReader.Read(image.Data.ToArray());
        long red = 0, green = 0, blue = 0;
        for (var i = 0; i < png.Pixels.Length; i += 3)
        {
            red += png.Pixels[i];
            green += png.Pixels[i + 1];
            blue += png.Pixels[i + 2];
        }

        Assert.True(red > green && red > blue, $"Mean colour ({red}, {green}, {blue}) is not mostly red.");
    }

    [Fact]
    public async Task GenerateAsync_RenderImagesOff_GivesAUriAndNoBytes()
    {
        var image = await Generator(render: false).GenerateAsync("a red fox");

        Assert.True(image.Data.IsEmpty);
        Assert.Equal(SimulatedImageGenerator.UriScheme, image.Uri!.Scheme);
        Assert.True(image.HasContent);
        Assert.Equal("a red fox", image.Metadata!["prompt"]);
    }
}
