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

    public static IResult Busy(int maxRuns, HttpContext context)
    {
        context.Response.Headers.RetryAfter = "5";
        return TypedResults.Problem(
            string.Create(CultureInfo.InvariantCulture, $"The server keeps at most {maxRuns} runs and all of them are still running. Try again shortly, or cancel a run with DELETE."),
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Too many runs in progress.");
    }
}
