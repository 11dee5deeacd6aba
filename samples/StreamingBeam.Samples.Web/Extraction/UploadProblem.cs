using StreamingBeam.Samples.Web.Http;

namespace StreamingBeam.Samples.Web.Extraction;

/// <summary>Why an upload was rejected: the HTTP status and a message for the user.</summary>
internal sealed record UploadProblem(int Status, string Detail)
{
    public IResult ToResult() => Status switch
    {
        StatusCodes.Status413PayloadTooLarge => Problems.TooLarge(Detail),
        StatusCodes.Status415UnsupportedMediaType => Problems.UnsupportedMedia(Detail),
        _ => Problems.BadRequest(Detail),
    };
}
