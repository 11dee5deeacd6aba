using StreamingBeam.Concurrency;

namespace StreamingBeam.Extraction.Internal;

/// <summary>An engine's immutable snapshot of one registration, shared by every run.</summary>
internal sealed class ExtractorPlan
{
    public ExtractorPlan(int index, string name, IExtractor extractor, ExtractorOptions options, TimeProvider time)
    {
        // One gate per registration: the extractor's quota and its cooldown after a refusal hold across every run.
        Gate = new ProviderGate(null, options.RateLimiter, $"ExtractorOptions.RateLimiter of extractor '{name}'", time);
        Index = index;
        Name = name;
        Extractor = extractor;
        Priority = options.Priority;
        Tier = options.Tier;
        Timeout = options.Timeout;
        Required = options.Required;
        Cost = options.Cost;
        Weight = options.Weight;
        Condition = options.Condition;
        DependsOnNames = [.. options.DependsOn];

        // Ascending key: higher priority first, then registration order. (int.MaxValue - priority) fits in 32 bits.
        QueueKey = ((ulong)(int.MaxValue - (long)Priority) << 32) | (uint)index;
    }

    public int Index { get; }

    public string Name { get; }

    public IExtractor Extractor { get; }

    public int Priority { get; }

    public int Tier { get; }

    /// <summary>Gets or sets the position of <see cref="Tier"/> among the engine's distinct tiers.</summary>
    public int TierIndex { get; set; }

    public TimeSpan? Timeout { get; }

    public bool Required { get; }

    public decimal Cost { get; }

    public double Weight { get; }

    public Func<ExtractionContext, bool>? Condition { get; }

    public string[] DependsOnNames { get; }

    public int[] Dependencies { get; set; } = [];

    public int[] Dependents { get; set; } = [];

    public ulong QueueKey { get; }

    /// <summary>Gets what every call of this extractor passes: its rate limit and its shared cooldown.</summary>
    public ProviderGate Gate { get; }
}
