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
        services.AddSingleton<RunRegistry>();
        services.AddSingleton<IExtractionEngineFactory, SampleExtractionEngineFactory>();
        services.AddSingleton<IBeamEngineFactory, SimulatedBeamEngineFactory>();
        return services;
    }

    public static WebApplication UseWebSample(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
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
