using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace StreamingBeam.Extraction.Internal;

/// <summary>Everything added through <see cref="ExtractionBuilder"/>, kept in the service collection so that several
/// calls to <see cref="ExtractionServiceCollectionExtensions.AddAtomicExtraction"/> add to one engine.</summary>
internal sealed class ExtractionBuilderState
{
    public List<Func<IServiceProvider, ExtractorRegistration>> Extractors { get; } = [];

    public List<Func<IServiceProvider, PreprocessorRegistration>> Preprocessors { get; } = [];

    public List<Action<ExtractionRunOptions>> ConfigureDefaults { get; } = [];

    public ExtractionEngine Build(IServiceProvider services)
    {
        var defaults = new ExtractionRunOptions();
        foreach (var configure in ConfigureDefaults)
        {
            configure(defaults);
        }

        return new ExtractionEngine(
            Extractors.Select(create => create(services)).ToArray(),
            Preprocessors.Select(create => create(services)).ToArray(),
            defaults,
            services.GetService<TimeProvider>(),
            services.GetService<ILoggerFactory>(),
            services.GetService<IMeterFactory>());
    }
}
