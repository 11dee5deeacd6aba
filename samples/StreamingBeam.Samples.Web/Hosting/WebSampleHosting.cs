using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using StreamingBeam.Samples.Web.Beam;
using StreamingBeam.Samples.Web.Extraction;
using StreamingBeam.Samples.Web.Http;
using StreamingBeam.Samples.Web.Runs;

namespace StreamingBeam.Samples.Web.Hosting;

/// <summary>Registers the sample's services and maps its endpoints; Program is these two calls.</summary>
internal static class WebSampleHosting
{
    public static IServiceCollection AddWebSample(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddProblemDetails();
        services.AddOptions<WebSampleOptions>()
            .Bind(configuration.GetSection(WebSampleOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebSampleOptions>, WebSampleOptionsValidator>();
        services.AddSingleton(TimeProvider.System);

        // No Server header, and no endpoint reads more than the largest upload: the default (30 MB) let a beam POST
        // be parsed for megabytes. Endpoints lower it further for themselves.
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<WebSampleOptions>>((kestrel, sample) =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = sample.Value.MaxUploadBytes + ExtractionEndpoints.FormOverhead;
        });
        services.AddSingleton<RunRegistry>();
        services.AddSingleton<IExtractionEngineFactory, SampleExtractionEngineFactory>();
        services.AddSingleton<IBeamEngineFactory, SimulatedBeamEngineFactory>();
        return services;
    }

    public static WebApplication UseWebSample(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeaders>();

        // A request the server refuses to read (too large, malformed) is the client's problem: its own 4xx, not a 500.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = ex => ex is Microsoft.AspNetCore.Http.BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        app.UseMiddleware<RequestOrigins>();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(15) });
        app.MapExtraction();
        app.MapExtractionSocket();
        app.MapBeam();
        app.MapRunList();
        return app;
    }

    private sealed class WebSampleOptionsValidator : IValidateOptions<WebSampleOptions>
    {
        public ValidateOptionsResult Validate(string? name, WebSampleOptions options)
        {
            var problems = options.Validate().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
