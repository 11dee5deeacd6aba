using StreamingBeam.Testing;

namespace StreamingBeam.Benchmarks.Extraction;

/// <summary>The six extractors of the source design, at its latencies scaled by 0.1, in its three tiers.</summary>
internal static class ExtractionScenario
{
    public const long Seed = 7;

    public static IReadOnlyList<(string Name, double LatencyMs, int Tier)> Extractors { get; } =
    [
        ("colour", 10, 1),
        ("spacing", 15, 1),
        ("typography", 20, 1),
        ("shadow", 50, 2),
        ("clip", 200, 3),
        ("gpt4v", 500, 3),
    ];

    public static ExtractionInput Input { get; } = new()
    {
        Name = "design.png",
        MediaType = "image/png",
        Data = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4 },
    };

    /// <summary>Builds the registrations, each extractor wrapped so that the moment it completes is recorded.</summary>
    public static List<ExtractorRegistration> Registrations(ExtractionTimeline.Recorder recorder, double scale, TimeProvider timeProvider)
    {
        var providers = SimulatedProviders.Create(Seed, SimulatedProvidersOptions.Instant(), timeProvider);
        var registrations = new List<ExtractorRegistration>();
        foreach (var (name, latencyMs, tier) in Extractors)
        {
            var options = new SimulatedExtractorOptions
            {
                Latency = LatencyDistribution.Fixed(TimeSpan.FromMilliseconds(latencyMs * scale)),
            };
            var extractor = new TimedExtractor(providers.CreateExtractor(name, options), recorder);
            registrations.Add(new ExtractorRegistration(extractor, new ExtractorOptions { Tier = tier }));
        }

        return registrations;
    }
}
