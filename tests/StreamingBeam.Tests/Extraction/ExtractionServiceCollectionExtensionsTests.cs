using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StreamingBeam.Testing;
using static StreamingBeam.Tests.Extraction.ExtractionTestKit;

namespace StreamingBeam.Tests.Extraction;

public class ExtractionServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddAtomicExtraction_ChainedRegistrations_BuildOneSingletonEngine()
    {
        var depth = new ArtifactKey<int>("depth");
        var services = new ServiceCollection();
        services.AddSingleton(new Greeting("hello"));

        var builder = services.AddAtomicExtraction()
            .AddExtractor(new SyncExtractor("instance"))
            .AddExtractor<GreetingExtractor>(o => o.Priority = 3)
            .AddExtractor(_ => new SyncExtractor("factory"), o => o.DependsOn.Add("instance"))
            .AddPreprocessor(depth, (_, _) => ValueTask.FromResult(7))
            .AddPreprocessor(new ArtifactKey<string>("greeting"), (sp, _, _) => ValueTask.FromResult(sp.GetRequiredService<Greeting>().Text));
        Assert.Same(services, builder.Services);

        await using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<ExtractionEngine>();

        Assert.Same(engine, provider.GetRequiredService<ExtractionEngine>());
        Assert.Equal(["instance", "greeting", "factory"], engine.ExtractorNames);
        var updates = (await engine.ExtractStreamingAsync(Input).ToListAsync()).ToDictionary(u => u.ExtractorName);
        Assert.Equal("hello", updates["greeting"].Tokens!["text"]!.GetValue<string>());
        Assert.Equal(ExtractionStatus.Succeeded, updates["factory"].Status);
    }

    [Fact]
    public void AddAtomicExtraction_CalledTwice_AddsToTheSameEngine()
    {
        var services = new ServiceCollection();
        services.AddAtomicExtraction().AddExtractor(new SyncExtractor("a"));
        services.AddAtomicExtraction().AddExtractor(new SyncExtractor("b"));

        using var provider = services.BuildServiceProvider();

        Assert.Equal(["a", "b"], provider.GetRequiredService<ExtractionEngine>().ExtractorNames);
        Assert.Single(services, d => d.ServiceType == typeof(ExtractionEngine));
    }

    [Fact]
    public void AddAtomicExtraction_InvalidConfiguration_ThrowsOnResolveListingEveryError()
    {
        var services = new ServiceCollection();
        services.AddAtomicExtraction(o => o.MaxConcurrency = 0)
            .AddExtractor(new SyncExtractor("a"), o => o.DependsOn.Add("ghost"))
            .ConfigureRunDefaults(o => o.Budget = -5m);

        using var provider = services.BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ExtractionEngine>());

        Assert.Equal(
        [
            "ExtractionRunOptions.MaxConcurrency must be at least 1, or null for no limit; it was 0.",
            "ExtractionRunOptions.Budget must not be negative, or null for no budget; it was -5.",
            "Extractor 'a': ExtractorOptions.DependsOn names 'ghost', which is not a registered extractor.",
        ], ex.Failures);
    }

    [Fact]
    public async Task AddAtomicExtraction_RunDefaultsAndContainerServices_AreUsed()
    {
        var time = new FakeTimeProvider();
        var logs = new ListLoggerFactory();
        var gate = new CallGate();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<ILoggerFactory>(logs);
        services.AddAtomicExtraction(o => o.MaxConcurrency = 1)
            .AddExtractor(new GatedExtractor("a", gate))
            .AddExtractor(new GatedExtractor("b", gate));

        using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<ExtractionEngine>();

        await using var updates = engine.ExtractStreamingAsync(Input).GetAsyncEnumerator();
        var next = updates.MoveNextAsync();
        await gate.Started("a");
        Assert.False(gate.HasStarted("b")); // MaxConcurrency = 1 from the defaults
        time.Advance(TimeSpan.FromSeconds(9));
        gate.Release("a");
        Assert.True(await next.AsTask().WaitAsync(Guard));
        Assert.Equal(TimeSpan.FromSeconds(9), updates.Current.Elapsed); // the container's clock
        await gate.Started("b");
        gate.Release("b");
        await updates.NextAsync();
        Assert.Contains(logs.Entries, e => e.Message.Contains("Extraction run started", StringComparison.Ordinal));
    }

    [Fact]
    public void Builder_NullArguments_Throw()
    {
        var builder = new ServiceCollection().AddAtomicExtraction();

        Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddAtomicExtraction());
        Assert.Throws<ArgumentNullException>(() => builder.AddExtractor((IExtractor)null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddExtractor((Func<IServiceProvider, IExtractor>)null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddPreprocessor<int>(null!, (_, _) => default));
        Assert.Throws<ArgumentNullException>(() => builder.ConfigureRunDefaults(null!));
    }

    private sealed record Greeting(string Text);

    private sealed class GreetingExtractor(Greeting greeting) : IExtractor
    {
        public string Name => "greeting";

        public async Task<ExtractorOutput> ExtractAsync(ExtractionContext context, CancellationToken cancellationToken = default)
        {
            var fromArtifact = await context.GetArtifactAsync(new ArtifactKey<string>("greeting"), cancellationToken);
            Assert.Equal(greeting.Text, fromArtifact);
            return new ExtractorOutput(new JsonObject { ["text"] = greeting.Text });
        }
    }
}
