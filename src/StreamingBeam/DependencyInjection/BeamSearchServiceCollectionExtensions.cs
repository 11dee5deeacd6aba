using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StreamingBeam;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the beam-search engine with dependency injection.</summary>
public static class BeamSearchServiceCollectionExtensions
{
    /// <summary>Registers <see cref="IBeamSearchEngine"/> as a singleton built from the <see cref="ILlmClient"/>,
    /// <see cref="IImageGenerator"/> and <see cref="IVisionScorer"/> registered in the container, with
    /// <see cref="BeamEngineOptions"/> from the options system, and returns a builder for its options and decorators.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the engine's options, or <see langword="null"/> to keep the defaults.</param>
    /// <returns>A builder, so calls chain.</returns>
    /// <remarks>
    /// The options are validated when the engine is first resolved (or on start, with
    /// <c>builder.Options.ValidateOnStart()</c>); invalid options throw <see cref="OptionsValidationException"/> listing
    /// every broken rule. A missing provider throws <see cref="InvalidOperationException"/> naming it. An
    /// <c>ILoggerFactory</c>, a <see cref="TimeProvider"/>, an <see cref="IBeamCheckpointStore"/> and an
    /// <c>IMeterFactory</c> are used when registered. Calling this method again configures the same engine.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static BeamSearchBuilder AddStreamingBeam(this IServiceCollection services, Action<BeamEngineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var state = services.FirstOrDefault(d => d.ServiceType == typeof(BeamSearchBuilderState))?.ImplementationInstance as BeamSearchBuilderState;
        if (state is null)
        {
            state = new BeamSearchBuilderState();
            services.AddSingleton(state);
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BeamEngineOptions>, BeamEngineOptionsValidator>());
            services.TryAddSingleton<IBeamSearchEngine>(static sp => sp.GetRequiredService<BeamSearchBuilderState>().Build(sp));
        }

        var builder = new BeamSearchBuilder(services, state);
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        return builder;
    }

    private sealed class BeamEngineOptionsValidator : IValidateOptions<BeamEngineOptions>
    {
        public ValidateOptionsResult Validate(string? name, BeamEngineOptions options)
        {
            // OptionsValidationException joins failures with "; ", so each goes without its closing period.
            var errors = options.GetValidationErrors();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Select(e => e.TrimEnd('.')));
        }
    }
}
