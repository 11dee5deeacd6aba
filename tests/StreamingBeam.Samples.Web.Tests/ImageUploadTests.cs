using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using StreamingBeam.Samples.Web.Tests.Infrastructure;

namespace StreamingBeam.Samples.Web.Tests;

/// <summary>What an uploaded image may cost: pixels are limited from the header before any decoding, the image is
/// decoded once, and a damaged file is a clear 415.</summary>
public sealed class ImageUploadTests
{
    [Fact]
    public async Task PostExtraction_PixelBomb_Returns413NamingTheDimensionsAndStartsNothing()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines };
        using var client = factory.CreateClient();
        var bomb = TestImages.PixelBomb();
        Assert.True(bomb.Length < 2_000, $"The bomb should be tiny; it is {bomb.Length} bytes.");
        using var form = Api.ImageForm(bomb, fileName: "bomb.png");

        using var response = await client.PostAsync("/api/extraction/runs", form, ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var detail = (string)(await Api.ReadProblemAsync(response, ct))["detail"]!;
        Assert.Contains("'bomb.png'", detail, StringComparison.Ordinal);
        Assert.Contains("12,000 x 12,000 = 144,000,000 pixels; the limit is 4,194,304 pixels", detail, StringComparison.Ordinal);
        Assert.Equal(0, engines.Created);
        Assert.Equal(0, factory.Registry.Count);
    }

    [Fact]
    public async Task Socket_PixelBomb_SendsA413ErrorAndClosesWithMessageTooBig()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines };
        using var socket = await Sockets.ConnectAsync(factory, ct);

        await Sockets.SendImageAsync(socket, TestImages.PixelBomb(), ct);

        var error = (await Sockets.ReceiveAsync(socket, ct))!;
        Assert.Equal(413, (int)error["error"]!["status"]!);
        Assert.Contains("144,000,000 pixels", (string)error["error"]!["detail"]!, StringComparison.Ordinal);
        Assert.Null(await Sockets.ReceiveAsync(socket, ct));
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, socket.CloseStatus);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", ct);
        await factory.WaitForRunCountAsync(0, ct);
        Assert.Equal(0, engines.Created);
    }

    [Fact]
    public async Task PostExtraction_AtThePixelLimit_IsAcceptedAndOnePixelRowOverIsNot()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines }.With("MaxImagePixels", (64 * 48).ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var client = factory.CreateClient();

        await Api.CreateExtractionAsync(client, TestImages.Gradient(64, 48), ct);
        using var form = Api.ImageForm(TestImages.Gradient(64, 49));
        using var over = await client.PostAsync("/api/extraction/runs", form, ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, over.StatusCode);
        Assert.Contains("64 x 49 = 3,136 pixels; the limit is 3,072 pixels", (string)(await Api.ReadProblemAsync(over, ct))["detail"]!, StringComparison.Ordinal);
        Assert.Equal(1, engines.Created);
    }

    [Fact]
    public async Task PostExtraction_AcceptedImage_EngineGetsTheImageDecodedByTheCheck()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines };
        using var client = factory.CreateClient();

        await Api.CreateExtractionAsync(client, TestImages.Gradient(40, 30), ct);

        // The engine is handed the pixels the upload check decoded; it has no decoder of its own to run again.
        var image = Assert.Single(engines.Images);
        Assert.Equal((40, 30), (image.Width, image.Height));
        Assert.Equal(40 * 30 * 3, image.Pixels.Length);
    }

    [Fact]
    public async Task PostExtraction_TruncatedPng_Returns415WithAReadableMessage()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines };
        using var client = factory.CreateClient();
        var png = TestImages.Gradient(320, 200);
        using var form = Api.ImageForm(png[..(png.Length * 2 / 3)], fileName: "cut.png");

        using var response = await client.PostAsync("/api/extraction/runs", form, ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var detail = (string)(await Api.ReadProblemAsync(response, ct))["detail"]!;
        Assert.Contains("'cut.png'", detail, StringComparison.Ordinal);
        Assert.Contains("the PNG is cut short: it ends inside its IDAT chunk", detail, StringComparison.Ordinal);
        AssertReadable(detail);
        Assert.Equal(0, engines.Created);
    }

    [Fact]
    public async Task PostExtraction_TruncatedJpeg_Returns415AndTheWholeOneIsAccepted()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        await using var factory = new WebSampleFactory { Extraction = engines };
        using var client = factory.CreateClient();
        var jpeg = TestImages.GradientJpeg(320, 200);
        using var form = Api.ImageForm(jpeg[..(jpeg.Length * 2 / 3)], fileName: "cut.jpg", mediaType: "image/jpeg");

        using var response = await client.PostAsync("/api/extraction/runs", form, ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var detail = (string)(await Api.ReadProblemAsync(response, ct))["detail"]!;
        Assert.Contains("the JPEG is cut short: it ends before its end-of-image marker (FF D9)", detail, StringComparison.Ordinal);
        AssertReadable(detail);
        Assert.Equal(0, engines.Created);

        await Api.CreateExtractionAsync(client, jpeg, ct);
        Assert.Equal((320, 200), (engines.Images[0].Width, engines.Images[0].Height));
    }

    [Fact]
    public async Task PostExtraction_DamagedBody_Returns415WithAReadableMessage()
    {
        var ct = Timeouts.Token();
        await using var factory = new WebSampleFactory { Extraction = new GatedExtraction() };
        using var client = factory.CreateClient();

        // A whole PNG structure whose image data is garbage: only the decoder can tell, and its words must stay readable.
        var png = TestImages.Gradient(64, 48);
        var idat = png.AsSpan().IndexOf("IDAT"u8) + 4;
        png.AsSpan(idat, 40).Clear();
        using var form = Api.ImageForm(png, fileName: "garbled.png");

        using var response = await client.PostAsync("/api/extraction/runs", form, ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var detail = (string)(await Api.ReadProblemAsync(response, ct))["detail"]!;
        Assert.Contains("'garbled.png'", detail, StringComparison.Ordinal);
        AssertReadable(detail);
    }

    [Fact]
    public async Task Socket_NameQueryParameter_NamesTheInputInTheStartedMessage()
    {
        var ct = Timeouts.Token();
        var engines = new GatedExtraction();
        engines.Gate.Release("fast", "slow");
        await using var factory = new WebSampleFactory { Extraction = engines };
        using var socket = await factory.Server.CreateWebSocketClient()
            .ConnectAsync(new Uri(factory.Server.BaseAddress, "/ws/extraction?name=" + Uri.EscapeDataString("holiday photo.png")), ct);

        await Sockets.SendImageAsync(socket, TestImages.Gradient(), ct);

        JsonObject started = (await Sockets.ReceiveAsync(socket, ct))!;
        Assert.Equal("holiday photo.png", (string)started["metadata"]!["input_name"]!);
    }

    private static void AssertReadable(string detail) =>
        Assert.DoesNotContain(detail, c => char.IsControl(c));
}
