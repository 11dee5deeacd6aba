using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace StreamingBeam.Samples.Web.Tests.Infrastructure;

/// <summary>The HTTP calls the tests make, in one place.</summary>
internal static class Api
{
    public static MultipartFormDataContent ImageForm(byte[] image, string fileName = "test.png", string field = "image", string mediaType = "image/png")
    {
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return new MultipartFormDataContent { { file, field, fileName } };
    }

    /// <summary>Uploads an image and returns the created run's JSON (run_id, events_url, cancel_url).</summary>
    public static async Task<JsonObject> CreateExtractionAsync(HttpClient client, byte[] image, CancellationToken cancellationToken)
    {
        using var form = ImageForm(image);
        using var response = await client.PostAsync("/api/extraction/runs", form, cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))!;
    }

    public static async Task<JsonObject> CreateBeamAsync(HttpClient client, object body, CancellationToken cancellationToken)
    {
        using var response = await client.PostAsJsonAsync("/api/beam/runs", body, cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))!;
    }

    /// <summary>Opens an event stream; the caller disposes the response to disconnect.</summary>
    public static async Task<HttpResponseMessage> OpenEventsAsync(HttpClient client, string url, long? lastEventId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (lastEventId is { } id)
        {
            request.Headers.Add("Last-Event-ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>Reads a ProblemDetails answer and checks its media type.</summary>
    public static async Task<JsonObject> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))!;
    }
}
