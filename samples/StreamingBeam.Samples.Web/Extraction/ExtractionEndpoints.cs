using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using StreamingBeam.Samples.Web.Hosting;
using StreamingBeam.Samples.Web.Http;
using StreamingBeam.Samples.Web.Runs;

namespace StreamingBeam.Samples.Web.Extraction;

/// <summary>Extraction over HTTP: upload an image to create a run, then follow it as Server-Sent Events.</summary>
internal static class ExtractionEndpoints
{
    public const string RunsPath = "/api/extraction/runs";

    /// <summary>Room for the multipart framing around the image.</summary>
    private const long FormOverhead = 64 * 1024;

    public static void MapExtraction(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(RunsPath);
        group.MapPost(string.Empty, CreateAsync);
        group.MapRunStreams(RunKind.Extraction);
    }

    private static async Task<IResult> CreateAsync(
        HttpContext context,
        RunRegistry registry,
        IExtractionEngineFactory engines,
        IOptions<WebSampleOptions> options,
        ILoggerFactory loggerFactory)
    {
        var max = options.Value.MaxUploadBytes;
        var request = context.Request;
        if (!request.HasFormContentType)
        {
            return ImageUpload.Missing().ToResult();
        }

        if (request.ContentLength > max + FormOverhead)
        {
            return ImageUpload.TooLarge(request.ContentLength.Value, max).ToResult();
        }

        // Kestrel then stops reading a body (chunked or with a false length) as soon as it passes the limit.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = max + FormOverhead;
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(context.RequestAborted);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ImageUpload.TooLarge(request.ContentLength ?? 0, max).ToResult();
        }
        catch (Exception ex) when (ex is BadHttpRequestException or InvalidDataException)
        {
            return Problems.BadRequest($"The multipart body could not be read: {ex.Message}");
        }

        var file = form.Files.GetFile(ImageUpload.FieldName);
        if (file is null)
        {
            return ImageUpload.Missing().ToResult();
        }

        if (file.Length > max)
        {
            return ImageUpload.TooLarge(file.Length, max).ToResult();
        }

        var data = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(data, context.RequestAborted);
        }

        var (input, problem) = ImageUpload.Check(data, file.FileName, file.ContentType, max);
        if (problem is not null)
        {
            return problem.ToResult();
        }

        var work = new ExtractionWork(engines.Create(), input!, loggerFactory.CreateLogger<ExtractionWork>());
        var run = registry.TryCreate(RunKind.Extraction);
        if (run is null)
        {
            return Problems.Busy(options.Value.MaxRuns, context);
        }

        run.Start(work.RunAsync);
        return RunEndpoints.Created(run, RunsPath);
    }
}
