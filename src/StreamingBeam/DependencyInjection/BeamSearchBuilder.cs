using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace StreamingBeam;

/// <summary>Configures the beam-search engine that
/// <see cref="BeamSearchServiceCollectionExtensions.AddStreamingBeam(IServiceCollection, Action{BeamEngineOptions}?)"/>
/// registers: its options, and decorators around each of its providers.</summary>
/// <remarks>
/// <para>Decorators wrap the <see cref="ILlmClient"/>, <see cref="IImageGenerator"/> and <see cref="IVisionScorer"/>
/// registered in the container, for the engine only (the registrations themselves are left as they are). The first
/// decorator added for a provider is the outermost: it sees each call first. Use them for caching, metering, Polly
/// pipelines, fault injection, or rules of your own; derive from <see cref="DelegatingLlmClient"/>,
/// <see cref="DelegatingImageGenerator"/> or <see cref="DelegatingVisionScorer"/> to override only what you change.</para>
/// <para>Several calls to <c>AddStreamingBeam</c> configure the same engine.</para>
/// </remarks>
public sealed class BeamSearchBuilder
{
    internal BeamSearchBuilder(IServiceCollection services, BeamSearchBuilderState state)
    {
        Services = services;
        State = state;
        Options = services.AddOptions<BeamEngineOptions>();
    }

    /// <summary>Gets the service collection the engine is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Gets the options builder of the engine's <see cref="BeamEngineOptions"/>, to bind them from configuration
    /// or validate them on start (for example <c>Options.Bind(section).ValidateOnStart()</c>).</summary>
    public OptionsBuilder<BeamEngineOptions> Options { get; }

    internal BeamSearchBuilderState State { get; }

    /// <summary>Changes the engine's options.</summary>
    /// <param name="configure">Sets the options; applied in order with any earlier calls.</param>
    /// <returns>This builder, so calls chain.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is <see langword="null"/>.</exception>
    public BeamSearchBuilder Configure(Action<BeamEngineOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Options.Configure(configure);
        return this;
    }

    /// <summary>Adds a decorator around the engine's <see cref="ILlmClient"/>.</summary>
    /// <param name="decorator">Wraps the client it is given (the next decorator, or the registered client).</param>
    /// <returns>This builder, so calls chain.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="decorator"/> is <see langword="null"/>.</exception>
    public BeamSearchBuilder UseLlmClient(Func<ILlmClient, IServiceProvider, ILlmClient> decorator)
    {
        ArgumentNullException.ThrowIfNull(decorator);
        State.Llm.Add(decorator);
        return this;
    }

    /// <summary>Adds a decorator around the engine's <see cref="ILlmClient"/>.</summary>
    /// <param name="decorator">Wraps the client it is given.</param>
    /// <returns>This builder, so calls chain.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="decorator"/> is <see langword="null"/>.</exception>
    public BeamSearchBuilder UseLlmClient(Func<ILlmClient, ILlmClient> decorator)
    {
        ArgumentNullException.ThrowIfNull(decorator);
        return UseLlmClient((inner, _) => decorator(inner));
    }

    /// <summary>Adds a decorator around the engine's <see cref="IImageGenerator"/>.</summary>
    /// <param name="decorator">Wraps the generator it is given (the next decorator, or the registered generator).</param>
    /// <returns>This builder, so calls chain.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="decorator"/> is <see langword="null"/>.</exception>
    public BeamSearchBuilder UseImageGenerator(Func<IImageGenerator, IServiceProvider, IImageGenerator> decorator)
    {
        ArgumentNullException.ThrowIfNull(decorator);
        State.Images.Add(decorator);
        return this;
    }

    /// <summary>Adds a decorator around the engine's <see cref="IImageGenerator"/>.</summary>
    /// <param name="decorator">Wraps the generator it is given.</param>
    /// <returns>This builder, so calls chain.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="decorator"/> is <see langword="null"/>.</exception>
    public BeamSearchBuilder UseImageGenerator(Func<IImageGenerator, IImageGenerator> decorator)
    {
        ArgumentNullException.ThrowIfNull(decorator);
        return UseImageGenerator((inner, _) => decorator(inner));
    }

    /// <summary>Adds a decorator around the engine's <see cref="IVisionScorer"/>.</summary>
    /// <param name="decorator">Wraps the scorer it is given (the next decorator, or the registered scorer).</param>
    /// <returns>This builder, so calls chain.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="decorator"/> is <see langword="null"/>.</exception>
    public BeamSearchBuilder UseVisionScorer(Func<IVisionScorer, IServiceProvider, IVisionScorer> decorator)
    {
        ArgumentNullException.ThrowIfNull(decorator);
        State.Scorer.Add(decorator);
        return this;
    }

    /// <summary>Adds a decorator around the engine's <see cref="IVisionScorer"/>.</summary>
    /// <param name="decorator">Wraps the scorer it is given.</param>
    /// <returns>This builder, so calls chain.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="decorator"/> is <see langword="null"/>.</exception>
    public BeamSearchBuilder UseVisionScorer(Func<IVisionScorer, IVisionScorer> decorator)
    {
        ArgumentNullException.ThrowIfNull(decorator);
        return UseVisionScorer((inner, _) => decorator(inner));
    }
}
