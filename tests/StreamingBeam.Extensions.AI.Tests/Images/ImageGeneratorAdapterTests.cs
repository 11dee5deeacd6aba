using System.Drawing;
using Microsoft.Extensions.AI;
using StreamingBeam.Extensions.AI.Tests.Fakes;

namespace StreamingBeam.Extensions.AI.Tests.Images;

public class ImageGeneratorAdapterTests
{
    [Fact]
    public async Task GenerateAsync_DataContent_ReturnsBytesAndMediaType()
    {
        var generator = new FakeImageGenerator { Response = new([new DataContent(new byte[] { 9, 8, 7 }, "image/webp")]) };
        var adapter = new ImageGeneratorAdapter(generator);

        var image = await adapter.GenerateAsync("a red fox");

        Assert.Equal(new byte[] { 9, 8, 7 }, image.Data.ToArray());
        Assert.Equal("image/webp", image.MediaType);
        Assert.Null(image.Uri);
        Assert.True(image.HasContent);
        var call = Assert.Single(generator.Calls);
        Assert.Equal("a red fox", call.Request.Prompt);
        Assert.Equal(1, call.Options!.Count);
    }

    [Fact]
    public async Task GenerateAsync_UriContent_ReturnsTheUri()
    {
        var uri = new Uri("https://images.example/fox.png");
        var generator = new FakeImageGenerator { Response = new([new TextContent("revised"), new UriContent(uri, "image/png")]) };
        var adapter = new ImageGeneratorAdapter(generator);

        var image = await adapter.GenerateAsync("a red fox");

        Assert.Equal(uri, image.Uri);
        Assert.True(image.Data.IsEmpty);
        Assert.Equal("image/png", image.MediaType);
    }

    [Fact]
    public async Task GenerateAsync_ContentAdditionalProperties_BecomeMetadata()
    {
        var content = new DataContent(new byte[] { 1 }, "image/png") { AdditionalProperties = new() { ["revised_prompt"] = "a red fox, detailed" } };
        var adapter = new ImageGeneratorAdapter(new FakeImageGenerator { Response = new([content]) });

        var image = await adapter.GenerateAsync("a red fox");

        Assert.Equal("a red fox, detailed", image.Metadata!["revised_prompt"]);
    }

    [Fact]
    public async Task GenerationOptions_AreCopiedPerCallWithCountOne()
    {
        var template = new ImageGenerationOptions { ModelId = "img-model", ImageSize = new Size(512, 512), Count = 4 };
        var generator = new FakeImageGenerator();
        var adapter = new ImageGeneratorAdapter(generator, new ImageGeneratorAdapterOptions { GenerationOptions = template });

        await adapter.GenerateAsync("a");

        var options = Assert.Single(generator.Calls).Options!;
        Assert.NotSame(template, options);
        Assert.Equal("img-model", options.ModelId);
        Assert.Equal(new Size(512, 512), options.ImageSize);
        Assert.Equal(1, options.Count);
        Assert.Equal(4, template.Count);
    }

    [Fact]
    public async Task Usage_CountsOneImageAndReportedTokens_Priced()
    {
        var generator = new FakeImageGenerator
        {
            Response = new([new DataContent(new byte[] { 1 }, "image/png")]) { Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 4000 } },
        };
        var adapter = new ImageGeneratorAdapter(generator, new ImageGeneratorAdapterOptions
        {
            CostPerImage = 0.04m,
            CostPerInputToken = 0.0001m,
            CostPerOutputToken = 0.00001m,
        });

        var image = await adapter.GenerateAsync("a");

        Assert.Equal(new ProviderUsage(100, 4000, 1, 0.04m + 0.01m + 0.04m), image.Usage);
    }

    [Fact]
    public async Task NoImageInResponse_ThrowsProviderResponseExceptionNamingTheContentButNotItsText()
    {
        var generator = new FakeImageGenerator
        {
            Response = new([new TextContent("Sorry, I can't draw that."), new DataContent(new byte[] { 1 }, "application/json")]),
        };
        var adapter = new ImageGeneratorAdapter(generator);

        var exception = await Assert.ThrowsAsync<ProviderResponseException>(() => adapter.GenerateAsync("a"));

        Assert.Equal(
            "ImageGeneratorAdapter.GenerateAsync: the image generator's response holds no image " +
            "(it held TextContent of 25 characters, DataContent application/json). The reply (25 characters) is in RawReply, not quoted here.",
            exception.Message);
        Assert.Equal("Sorry, I can't draw that.", exception.RawReply);
    }

    [Fact]
    public async Task EmptyResponse_ThrowsProviderResponseException()
    {
        var adapter = new ImageGeneratorAdapter(new FakeImageGenerator { Response = new() });

        var exception = await Assert.ThrowsAsync<ProviderResponseException>(() => adapter.GenerateAsync("a"));

        Assert.Equal("ImageGeneratorAdapter.GenerateAsync: the image generator's response holds no image (it held no content).", exception.Message);
    }

    [Fact]
    public async Task Cancellation_DuringTheCall_ThrowsOperationCanceledExceptionAndTheTokenFlows()
    {
        using var cts = new CancellationTokenSource();
        var generator = new FakeImageGenerator { Gate = new TaskCompletionSource() };
        var adapter = new ImageGeneratorAdapter(generator);

        var call = adapter.GenerateAsync("a", cts.Token);
        Assert.False(call.IsCompleted);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(cts.Token, Assert.Single(generator.Calls).Token);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public async Task BlankPrompt_ThrowsArgumentException(string? prompt)
    {
        var generator = new FakeImageGenerator();
        var adapter = new ImageGeneratorAdapter(generator);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => adapter.GenerateAsync(prompt!));
        Assert.Empty(generator.Calls);
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryProblem()
    {
        var exception = Assert.Throws<ArgumentException>(() =>
            new ImageGeneratorAdapter(new FakeImageGenerator(), new ImageGeneratorAdapterOptions { CostPerImage = -1m, CostPerOutputToken = -2m }));

        Assert.Equal(
            "ImageGeneratorAdapterOptions is not valid: " +
            "ImageGeneratorAdapterOptions.CostPerImage must be zero or greater; it was -1. " +
            "ImageGeneratorAdapterOptions.CostPerOutputToken must be zero or greater; it was -2.",
            exception.Message);
    }
}
