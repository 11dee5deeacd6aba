namespace StreamingBeam.Samples.Web.Http;

/// <summary>Security headers on every response, including errors and static files.</summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    /// <summary>Fits the page: its own script, style and images (generated images are same-origin URLs, the favicon a
    /// <c>data:</c> URL), fetch, EventSource and WebSocket to itself, and no framing.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        // OnStarting, because the exception handler clears the headers of a response it rewrites.
        context.Response.OnStarting(static state =>
        {
            var headers = ((HttpResponse)state).Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            headers.Server = default;
            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    }
}
