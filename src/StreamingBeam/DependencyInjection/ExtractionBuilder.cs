using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;

namespace StreamingBeam;

/// <summary>Adds extractors, preprocessors and default run options to the <see cref="ExtractionEngine"/> that
/// <see cref="ExtractionServiceCollectionExtensions.AddAtomicExtraction"/> registers.</summary>
/// <remarks>
/// The engine is a singleton built on first resolution from everything added here; extractors are resolved once, at
/// that moment, and live as long as the engine. Every registration is validated then, and all problems are reported
/// together in one <see cref="Microsoft.Extensions.Options.OptionsValidationException"/>.
/// </remarks>
public sealed class ExtractionBuilder
{
    internal ExtractionBuilder(IServiceCollection services, ExtractionBuilderState state)
    {
        Services = services;
        State = state;
    }

    /// <summary>Gets the service collection the engine is registered in.</summary>
    public IServiceCollection Services { get; }

    internal ExtractionBuilderState State { get; }

    /// <summary>Adds an extractor instance.</summary>
    /// <param name="extractor">The extractor.</param>
    /// <param name="configure">Sets the extractor's options, or <see langword="null"/> for the defaults.</param>
    /// <returns>This builder, so calls chain.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="extractor"/> is <see langword="null"/>.</exception>
    public ExtractionBuilder AddExtractor(IExtractor extractor, Action<ExtractorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        return AddExtractor(_ => extractor, configure);
    }

    /// <summary>Adds an extractor of type <typeparamref name="TExtractor"/>, taken from the container if registered
    /// there, otherwise created with its dependencies injected.</summary>
    /// <typeparam name="TExtractor">The extractor's type.</typeparam>
    /// <param name="configure">Sets the extractor's options, or <see langword="null"/> for the defaults.</param>
    /// <returns>This builder, so calls chain.</returns>
    public ExtractionBuilder AddExtractor<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TExtractor>(
        Action<ExtractorOptions>? configure = null)
        where TExtractor : class, IExtractor =>
        AddExtractor(static services => ActivatorUtilities.GetServiceOrCreateInstance<TExtractor>(services), configure);

    /// <summary>Adds an extractor created by a factory when the engine is built.</summary>
    /// <param name="factory">Creates the extractor from the application's services.</param>
    /// <param name="configure">Sets the extractor's options, or <see langword="null"/> for the defaults.</param>
    /// <returns>This builder, so calls chain.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is <see langword="null"/>.</exception>
    public ExtractionBuilder AddExtractor(Func<IServiceProvider, IExtractor> factory, Action<ExtractorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        State.Extractors.Add(services =>
        {
            var options = new ExtractorOptions();
            configure?.Invoke(options);
            return new ExtractorRegistration(factory(services), options);
        });
        return this;
    }

    /// <summary>Adds a preprocessor that computes a shared artifact on first request, at most once per run.</summary>
    /// <typeparam name="T">The artifact's type.</typeparam>
    /// <param name="key">The artifact's key.</param>
    /// <param name="compute">Computes the artifact from the run's input.</param>
    /// <returns>This builder, so calls chain.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="compute"/> is <see langword="null"/>.</exception>
    public ExtractionBuilder AddPreprocessor<T>(ArtifactKey<T> key, Func<ExtractionInput, CancellationToken, ValueTask<T>> compute)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(compute);
        State.Preprocessors.Add(_ => new PreprocessorRegistration<T>(key, compute));
        return this;
    }

    /// <summary>Adds a preprocessor that uses the application's services to compute a shared artifact on first
    /// request, at most once per run.</summary>
    /// <typeparam name="T">The artifact's type.</typeparam>
    /// <param name="key">The artifact's key.</param>
    /// <param name="compute">Computes the artifact from the application's services and the run's input.</param>
    /// <returns>This builder, so calls chain.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="compute"/> is <see langword="null"/>.</exception>
    public ExtractionBuilder AddPreprocessor<T>(ArtifactKey<T> key, Func<IServiceProvider, ExtractionInput, CancellationToken, ValueTask<T>> compute)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(compute);
        State.Preprocessors.Add(services => new PreprocessorRegistration<T>(key, (input, token) => compute(services, input, token)));
        return this;
    }

    /// <summary>Adds a decorator around every extractor of the engine.</summary>
    /// <param name="decorator">Wraps the extractor it is given (the next decorator, or the extractor as added). The
    /// first decorator added is the outermost. The engine reads the name from the outermost, so a decorator should keep
    /// the inner extractor's name (<see cref="DelegatingExtractor"/> does).</param>
    /// <returns>This builder, so calls chain.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="decorator"/> is <see langword="null"/>.</exception>
    public ExtractionBuilder UseExtractors(Func<IExtractor, IServiceProvider, IExtractor> decorator)
    {
        ArgumentNullException.ThrowIfNull(decorator);
        State.Decorators.Add(decorator);
        return this;
    }

    /// <summary>Adds a decorator around every extractor of the engine.</summary>
    /// <param name="decorator">Wraps the extractor it is given; see the other overload.</param>
    /// <returns>This builder, so calls chain.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="decorator"/> is <see langword="null"/>.</exception>
    public ExtractionBuilder UseExtractors(Func<IExtractor, IExtractor> decorator)
    {
        ArgumentNullException.ThrowIfNull(decorator);
        return UseExtractors((inner, _) => decorator(inner));
    }

    /// <summary>Changes the options of runs that are given none.</summary>
    /// <param name="configure">Sets the default run options; applied in order with any earlier calls.</param>
    /// <returns>This builder, so calls chain.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is <see langword="null"/>.</exception>
    public ExtractionBuilder ConfigureRunDefaults(Action<ExtractionRunOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        State.ConfigureDefaults.Add(configure);
        return this;
    }
}
