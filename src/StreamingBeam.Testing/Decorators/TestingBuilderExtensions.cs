namespace StreamingBeam.Testing;

/// <summary>Adds StreamingBeam.Testing's decorators (fault injection, call gates) to the engines' builders.</summary>
public static class TestingBuilderExtensions
{
    /// <summary>Wraps the engine's three providers in fault-injecting decorators.</summary>
    /// <param name="builder">The beam-search builder.</param>
    /// <param name="options">Which calls to fault; validated here and copied.</param>
    /// <returns>The builder, so calls chain.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid.</exception>
    public static BeamSearchBuilder UseFaultInjection(this BeamSearchBuilder builder, FaultInjectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return builder
            .UseLlmClient(inner => new FaultInjectingLlmClient(inner, options))
            .UseImageGenerator(inner => new FaultInjectingImageGenerator(inner, options))
            .UseVisionScorer(inner => new FaultInjectingVisionScorer(inner, options));
    }

    /// <summary>Makes every call of the engine's three providers wait at <paramref name="gate"/> first.</summary>
    /// <param name="builder">The beam-search builder.</param>
    /// <param name="gate">The gate, keyed by <see cref="BeamGateKeys"/>.</param>
    /// <returns>The builder, so calls chain.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static BeamSearchBuilder UseCallGate(this BeamSearchBuilder builder, CallGate gate)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(gate);
        return builder
            .UseLlmClient(inner => new GatingLlmClient(inner, gate))
            .UseImageGenerator(inner => new GatingImageGenerator(inner, gate))
            .UseVisionScorer(inner => new GatingVisionScorer(inner, gate));
    }

    /// <summary>Wraps every extractor of the engine in a fault-injecting decorator.</summary>
    /// <param name="builder">The extraction builder.</param>
    /// <param name="options">Which calls to fault; validated here and copied.</param>
    /// <returns>The builder, so calls chain.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid.</exception>
    public static ExtractionBuilder UseFaultInjection(this ExtractionBuilder builder, FaultInjectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return builder.UseExtractors(inner => new FaultInjectingExtractor(inner, options));
    }

    /// <summary>Makes every extractor call wait at <paramref name="gate"/> first, keyed by the extractor's name.</summary>
    /// <param name="builder">The extraction builder.</param>
    /// <param name="gate">The gate.</param>
    /// <returns>The builder, so calls chain.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static ExtractionBuilder UseCallGate(this ExtractionBuilder builder, CallGate gate)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(gate);
        return builder.UseExtractors(inner => new GatingExtractor(inner, gate));
    }
}
