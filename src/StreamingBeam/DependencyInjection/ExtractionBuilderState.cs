using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace StreamingBeam;

/// <summary>Everything added through <see cref="ExtractionBuilder"/>, kept in the service collection so that several
/// calls to <see cref="ExtractionServiceCollectionExtensions.AddAtomicExtraction"/> add to one engine.</summary>
internal sealed class ExtractionBuilderState
{
    public List<Func<IServiceProvider, ExtractorRegistration>> Extractors { get; } = [];

    public List<Func<IServiceProvider, PreprocessorRegistration>> Preprocessors { get; } = [];

    public List<Action<ExtractionRunOptions>> ConfigureDefaults { get; } = [];

    public ProviderPipeline<IExtractor> Decorators { get; } = new();

    public ExtractionEngine Build(IServiceProvider services)
    {
        var defaults = new ExtractionRunOptions();
        foreach (var configure in ConfigureDefaults)
        {
            configure(defaults);
        }

        return new ExtractionEngine(
            Extractors.Select(create => Decorate(create(services), services)).ToArray(),
            Preprocessors.Select(create => create(services)).ToArray(),
            defaults,
            services.GetService<TimeProvider>(),
            services.GetService<ILoggerFactory>(),
            services.GetService<IMeterFactory>());
    }

    private ExtractorRegistration Decorate(ExtractorRegistration registration, IServiceProvider services) =>
        registration?.Extractor is null
            ? registration! // reported by the engine's validation, with the others
            : new ExtractorRegistration(
                Decorators.Build(registration.Extractor, services, nameof(ExtractionBuilder.UseExtractors)), registration.Options);
}
