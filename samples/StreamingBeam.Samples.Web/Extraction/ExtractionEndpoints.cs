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
    public const long FormOverhead = 64 * 1024;

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
        var settings = options.Value;
        var max = settings.MaxUploadBytes;
        var request = context.Request;
        if (!request.HasFormContentType)
        {
            return ImageUpload.Missing().ToResult();
        }

        // Kestrel then stops reading a body (chunked or with a false length) as soon as it passes the limit.
        if (!RequestBodies.TryLimit(context, max + FormOverhead))
        {
            return ImageUpload.TooLarge(request.ContentLength ?? 0, max).ToResult();
        }

        // An upload in progress holds its place among the kept runs, so that uploads (each buffering up to
        // MaxUploadBytes, then decoding) are bounded by MaxRuns as runs are, and a full server says so before reading.
        var run = registry.TryCreate(RunKind.Extraction);
        if (run is null)
        {
            return Problems.Busy(settings.MaxRuns, context);
        }

        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, run.Token);
            var (image, problem) = await ReceiveAsync(request, settings, stop.Token);
            if (problem is not null)
            {
                return problem.ToResult();
            }

            var work = new ExtractionWork(engines.Create(image!.Image), image.Input, loggerFactory.CreateLogger<ExtractionWork>());
            run.Start(work.RunAsync);
            return RunEndpoints.Created(run, RunsPath);
        }
        finally
        {
            if (!run.IsStarted)
            {
                registry.Remove(run);
            }
        }
    }

    private static async Task<(UploadedImage? Image, UploadProblem? Problem)> ReceiveAsync(HttpRequest request, WebSampleOptions settings, CancellationToken cancellationToken)
    {
        var max = settings.MaxUploadBytes;
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, ImageUpload.TooLarge(request.ContentLength ?? 0, max));
        }
        catch (Exception ex) when (ex is BadHttpRequestException or InvalidDataException)
        {
            return (null, new UploadProblem(StatusCodes.Status400BadRequest, $"The multipart body could not be read: {ex.Message}"));
        }

        var file = form.Files.GetFile(ImageUpload.FieldName);
        if (file is null)
        {
            return (null, ImageUpload.Missing());
        }

        if (file.Length > max)
        {
            return (null, ImageUpload.TooLarge(file.Length, max));
        }

        var data = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(data, cancellationToken);
        }

        return await ImageUpload.CheckAsync(data, file.FileName, file.ContentType, settings, cancellationToken);
    }
}
