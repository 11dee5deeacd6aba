using Microsoft.Extensions.DependencyInjection.Extensions;
using StreamingBeam;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers StreamingBeam's atomic extraction engine in a service collection.</summary>
public static class ExtractionServiceCollectionExtensions
{
    /// <summary>Registers a singleton <see cref="ExtractionEngine"/> (also as <see cref="IExtractionEngine"/>) and returns a builder to add its extractors and
    /// preprocessors.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configureRunDefaults">Sets the options of runs that are given none, or <see langword="null"/>.</param>
    /// <returns>A builder, so calls chain.</returns>
    /// <remarks>
    /// <para>Calling this method again adds to the same engine. The engine uses the container's
    /// <see cref="TimeProvider"/> and <c>ILoggerFactory</c> when registered (else <see cref="TimeProvider.System"/> and
    /// no logging).</para>
    /// <para>The engine is built, and every registration and option validated, when it is first resolved; all
    /// problems are reported together in one <see cref="Options.OptionsValidationException"/>.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static ExtractionBuilder AddAtomicExtraction(this IServiceCollection services, Action<ExtractionRunOptions>? configureRunDefaults = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var state = services.FirstOrDefault(d => d.ServiceType == typeof(ExtractionBuilderState))?.ImplementationInstance as ExtractionBuilderState;
        if (state is null)
        {
            state = new ExtractionBuilderState();
            services.AddSingleton(state);
            services.TryAddSingleton(static provider => provider.GetRequiredService<ExtractionBuilderState>().Build(provider));
            services.TryAddSingleton<IExtractionEngine>(static provider => provider.GetRequiredService<ExtractionEngine>());
        }

        var builder = new ExtractionBuilder(services, state);
        if (configureRunDefaults is not null)
        {
            builder.ConfigureRunDefaults(configureRunDefaults);
        }

        return builder;
    }
}
