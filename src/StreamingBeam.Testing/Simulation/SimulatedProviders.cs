namespace StreamingBeam.Testing;

/// <summary>The three simulated beam-search providers, built together from one seed and one clock.</summary>
/// <remarks>
/// <code>
/// var providers = SimulatedProviders.Create(seed: 42);
/// // pass providers.Llm, providers.ImageGenerator and providers.VisionScorer to the beam search
/// </code>
/// Providers built with the same seed and options behave identically in every run and process.
/// </remarks>
public sealed class SimulatedProviders
{
    private readonly TimeProvider? _timeProvider;

    private SimulatedProviders(long seed, SimulatedProvidersOptions options, TimeProvider? timeProvider)
    {
        Seed = seed;
        _timeProvider = timeProvider;
        Llm = new SimulatedLlmClient(seed, options.Llm, timeProvider);
        ImageGenerator = new SimulatedImageGenerator(seed, options.ImageGenerator, timeProvider);
        VisionScorer = new SimulatedVisionScorer(seed, options.VisionScorer, timeProvider);
    }

    /// <summary>Gets the seed the providers share.</summary>
    public long Seed { get; }

    /// <summary>Gets the simulated language model.</summary>
    public SimulatedLlmClient Llm { get; }

    /// <summary>Gets the simulated image generator.</summary>
    public SimulatedImageGenerator ImageGenerator { get; }

    /// <summary>Gets the simulated vision scorer.</summary>
    public SimulatedVisionScorer VisionScorer { get; }

    /// <summary>Creates the three providers with one seed.</summary>
    /// <param name="seed">The seed every draw derives from.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults (realistic latencies, no faults).</param>
    /// <param name="timeProvider">The clock latencies wait on, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <returns>The providers.</returns>
    /// <exception cref="ArgumentException">An option is invalid; the message names it and the rule.</exception>
    public static SimulatedProviders Create(long seed, SimulatedProvidersOptions? options = null, TimeProvider? timeProvider = null)
    {
        options ??= new SimulatedProvidersOptions();
        options.Validate();
        return new SimulatedProviders(seed, options, timeProvider);
    }

    /// <summary>Creates a simulated extractor with the providers' seed and clock.</summary>
    /// <param name="name">The extractor's name, unique within a run.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The extractor.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space, or an option is invalid.</exception>
    public SimulatedExtractor CreateExtractor(string name, SimulatedExtractorOptions? options = null) =>
        new(name, Seed, options, _timeProvider);
}
