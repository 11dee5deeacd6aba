using Microsoft.AspNetCore.Http.Features;

namespace StreamingBeam.Samples.Web.Http;

/// <summary>Reads a request body up to a limit sized to what a valid request can need, so that a huge body is a
/// <c>413</c> after reading at most the limit, never a parse of megabytes or a 500.</summary>
internal static class RequestBodies
{
    /// <summary>Caps the body at <paramref name="limit"/> bytes: answers <see langword="false"/> at once when the
    /// declared length is over it, and makes Kestrel stop reading a chunked (or lying) body at the limit.</summary>
    public static bool TryLimit(HttpContext context, long limit)
    {
        if (context.Request.ContentLength > limit)
        {
            return false;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }

        return true;
    }

    /// <summary>Reads the whole body, or returns <see langword="null"/> when it is longer than <paramref name="limit"/>
    /// bytes. The count is kept here too, because not every server enforces the feature (the in-memory test server
    /// does not).</summary>
    public static async Task<byte[]?> ReadAsync(HttpContext context, long limit)
    {
        if (!TryLimit(context, limit))
        {
            return null;
        }

        using var body = new MemoryStream();
        var buffer = new byte[8 * 1024];
        try
        {
            while (true)
            {
                var read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted);
                if (read == 0)
                {
                    return body.ToArray();
                }

                if (body.Length + read > limit)
                {
                    return null;
                }

                body.Write(buffer, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
    }
}
