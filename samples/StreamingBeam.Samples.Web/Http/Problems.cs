using System.Globalization;

namespace StreamingBeam.Samples.Web.Http;

/// <summary>The ProblemDetails (RFC 9457) answers of the sample's endpoints: one title per kind of problem, and a
/// detail that says exactly what was wrong with this request.</summary>
internal static class Problems
{
    public static IResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid.");

    public static IResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "No such run.");

    public static IResult TooLarge(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "The upload is too large.");

    public static IResult UnsupportedMedia(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The upload is not a supported image.");

    public static IResult RequestTooLarge(long limit, string what) => TypedResults.Problem(
        string.Create(CultureInfo.InvariantCulture, $"The body is larger than {limit:N0} bytes, more than {what} can need."),
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "The request body is too large.");

    public static IResult MisdirectedHost(string host, IEnumerable<string> allowed) => TypedResults.Problem(
        $"This server does not answer to the host '{host}' (a page on another site may be reaching it through DNS rebinding). It answers to {string.Join(", ", allowed.Order(StringComparer.Ordinal))}; add a name to WebSample:AllowedHosts to allow it.",
        statusCode: StatusCodes.Status421MisdirectedRequest,
        title: "Unknown host.");

    public static IResult ForeignOrigin(string origin, string own) => TypedResults.Problem(
        $"Pages from the origin '{origin}' may not use this server; only its own pages ({own}) may. Add the origin to WebSample:AllowedOrigins to allow it.",
        statusCode: StatusCodes.Status403Forbidden,
        title: "Cross-origin request refused.");

    public static IResult Busy(int maxRuns, HttpContext context)
    {
        context.Response.Headers.RetryAfter = "5";
        return TypedResults.Problem(
            string.Create(CultureInfo.InvariantCulture, $"The server keeps at most {maxRuns} runs and all of them are still running. Try again shortly, or cancel a run with DELETE."),
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Too many runs in progress.");
    }
}
