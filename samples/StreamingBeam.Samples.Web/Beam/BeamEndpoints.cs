using Microsoft.Extensions.Options;
using StreamingBeam.Samples.Web.Hosting;
using StreamingBeam.Samples.Web.Http;
using StreamingBeam.Samples.Web.Runs;

namespace StreamingBeam.Samples.Web.Beam;

/// <summary>Beam search over HTTP: post a prompt to create a run, follow it as Server-Sent Events, fetch its images.</summary>
internal static class BeamEndpoints
{
    public const string RunsPath = "/api/beam/runs";

    public static void MapBeam(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(RunsPath);
        group.MapPost(string.Empty, CreateAsync);
        group.MapRunStreams(RunKind.Beam);
        // HEAD too: a client may check an image (its type and length) before fetching it.
        group.MapMethods("/{runId}/images/{candidateId}", [HttpMethods.Get, HttpMethods.Head], (string runId, string candidateId, RunRegistry registry) =>
            registry.Find(runId) is { Kind: RunKind.Beam } run && run.FindAsset(candidateId) is { } asset
                ? Results.Bytes(asset.Data, asset.MediaType)
                : Problems.NotFound($"Run '{runId}' has no image for candidate '{candidateId}'."));
    }

    private static async Task<IResult> CreateAsync(
        HttpContext context,
        RunRegistry registry,
        IBeamEngineFactory engines,
        IOptions<WebSampleOptions> options,
        ILoggerFactory loggerFactory)
    {
        if (!context.Request.HasJsonContentType())
        {
            return Problems.BadRequest("Send a JSON body such as {\"prompt\": \"a lighthouse at dusk\"} with Content-Type: application/json.");
        }

        var maxPromptLength = options.Value.MaxPromptLength;
        var limit = BeamRunRequest.MaxBodyBytes(maxPromptLength);
        var body = await RequestBodies.ReadAsync(context, limit);
        if (body is null)
        {
            return Problems.RequestTooLarge(limit, $"a beam request (a prompt of up to {maxPromptLength} characters and four numbers)");
        }

        if (body.Length == 0)
        {
            return Problems.BadRequest("The body is empty: send {\"prompt\": \"...\"}.");
        }

        var (request, problems) = BeamRunRequest.Parse(body, maxPromptLength);
        if (request is null)
        {
            return Problems.BadRequest(string.Join(" ", problems));
        }

        var seed = request.Seed ?? Random.Shared.NextInt64(1, 1_000_000);
        var prompt = request.Prompt!.Trim();
        var work = new BeamWork(engines.Create(seed), prompt, request.ToOptions(), seed, engines.Description, loggerFactory.CreateLogger<BeamWork>());
        var run = registry.TryCreate(RunKind.Beam);
        if (run is null)
        {
            return Problems.Busy(options.Value.MaxRuns, context);
        }

        run.Start(work.RunAsync);
        return RunEndpoints.Created(run, RunsPath);
    }
}
