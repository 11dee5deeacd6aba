using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StreamingBeam;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the beam-search engine with dependency injection.</summary>
public static class BeamSearchServiceCollectionExtensions
{
    /// <summary>Registers <see cref="IBeamSearchEngine"/> as a singleton built from the <see cref="ILlmClient"/>,
    /// <see cref="IImageGenerator"/> and <see cref="IVisionScorer"/> registered in the container, with
    /// <see cref="BeamEngineOptions"/> from the options system.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the engine's options, or <see langword="null"/> to keep the defaults.</param>
    /// <returns>The service collection, so calls can be chained.</returns>
    /// <remarks>
    /// The options are validated when the engine is first resolved; invalid options throw
    /// <see cref="OptionsValidationException"/> listing every broken rule. An <see cref="ILoggerFactory"/>, a
    /// <see cref="TimeProvider"/> and an <see cref="IBeamCheckpointStore"/> are used when registered. Register the three providers yourself, for example with the
    /// StreamingBeam.Extensions.AI adapters or the simulated providers of StreamingBeam.Testing.
    /// </remarks>
    public static IServiceCollection AddStreamingBeam(this IServiceCollection services, Action<BeamEngineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<BeamEngineOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BeamEngineOptions>, BeamEngineOptionsValidator>());

        services.TryAddSingleton<IBeamSearchEngine>(static sp => new BeamSearchEngine(
            sp.GetRequiredService<ILlmClient>(),
            sp.GetRequiredService<IImageGenerator>(),
            sp.GetRequiredService<IVisionScorer>(),
            sp.GetRequiredService<IOptions<BeamEngineOptions>>().Value,
            sp.GetService<ILoggerFactory>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<IBeamCheckpointStore>(),
            sp.GetService<IMeterFactory>()));
        return services;
    }

    private sealed class BeamEngineOptionsValidator : IValidateOptions<BeamEngineOptions>
    {
        public ValidateOptionsResult Validate(string? name, BeamEngineOptions options)
        {
            var errors = options.GetValidationErrors();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
