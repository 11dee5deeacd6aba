using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using StreamingBeam.Testing;
using StreamingBeam.Tests.Extraction;
using StreamingBeam.Tests.Support;

namespace StreamingBeam.Tests.DependencyInjection;

/// <summary>Decorators composed under dependency injection: order, scope, and the Testing package's decorators over
/// providers that know nothing of gates or faults.</summary>
public class ProviderPipelineTests
{
    [Fact]
    public async Task BeamDecorators_FirstAddedIsOutermost_ForEveryProvider()
    {
        var trace = new ConcurrentQueue<string>();
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        await using var services = Registered(providers)
            .AddStreamingBeam(o => o.DefaultSearch = new BeamSearchOptions { BeamWidth = 1, KeepTop = 1, MaxIterations = 1 })
            .UseLlmClient(inner => new TracingLlm(inner, "outer", trace))
            .UseImageGenerator(inner => new TracingImages(inner, "outer", trace))
            .UseLlmClient((inner, sp) => new TracingLlm(inner, "inner", trace))
            .UseImageGenerator(inner => new TracingImages(inner, "inner", trace))
            .Services.BuildServiceProvider();

        await services.GetRequiredService<IBeamSearchEngine>().SearchAsync("a fox");

        var combine = trace.Where(t => t.Contains("combine", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["outer>combine", "inner>combine", "inner<combine", "outer<combine"], combine);
        var image = trace.Where(t => t.Contains("image", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["outer>image", "inner>image", "inner<image", "outer<image"], image);

        // Decorators wrap the engine's providers only: the registrations are left as they were.
        Assert.Same(providers.Llm, services.GetRequiredService<ILlmClient>());
    }

    [Fact]
    public async Task ExtractionDecorators_FirstAddedIsOutermost_AndKeepTheName()
    {
        var trace = new ConcurrentQueue<string>();
        var services = new ServiceCollection();
        services.AddAtomicExtraction()
            .AddExtractor(new SyncExtractor("colour"))
            .UseExtractors(inner => new TracingExtractor(inner, "outer", trace))
            .UseExtractors((inner, _) => new TracingExtractor(inner, "inner", trace));
        await using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<IExtractionEngine>();

        var updates = await engine.ExtractStreamingAsync(ExtractionTestKit.Input).ToListAsync();

        Assert.Same(provider.GetRequiredService<ExtractionEngine>(), engine);
        Assert.Equal(["colour"], engine.ExtractorNames);
        Assert.Equal(ExtractionStatus.Succeeded, Assert.Single(updates).Status);
        Assert.Equal(["outer>colour", "inner>colour", "inner<colour", "outer<colour"], trace);
    }

    [Fact]
    public async Task UseCallGate_GivesStepByStepControlOverProvidersThatKnowNothingOfGates()
    {
        // Simulated providers answer at once; the gate decorators hold each call until the test releases it.
        var releaseAll = false;
        var gate = new CallGate(autoRelease: _ => Volatile.Read(ref releaseAll));
        var simulated = SimulatedProviders.Create(7, SimulatedProvidersOptions.Instant());
        await using var services = Registered(simulated)
            .AddStreamingBeam()
            .UseCallGate(gate)
            .Services.BuildServiceProvider();
        var engine = services.GetRequiredService<IBeamSearchEngine>();
        var recorder = StreamRecorder<BeamEvent>.Start(
            engine.SearchStreamingAsync("a fox", new BeamSearchOptions { BeamWidth = 2, KeepTop = 1, MaxIterations = 1 }));

        var what0 = BeamGateKeys.Expand(PromptDimension.What, 0);
        var how0 = BeamGateKeys.Expand(PromptDimension.How, 0);
        await gate.WaitForStartAsync(what0);
        await gate.WaitForStartAsync(how0);
        await gate.WaitForStartAsync(BeamGateKeys.Expand(PromptDimension.What, 1));
        await gate.WaitForStartAsync(BeamGateKeys.Expand(PromptDimension.How, 1));
        Assert.Equal(0, Combines(gate));

        // Lane 0's own expansions alone let lane 0 combine; lane 1 stays held at its expansions.
        gate.Release(what0, how0);
        await Beam.BeamTestKit.EventuallyAsync(() => Combines(gate) == 1);
        Assert.Equal(3, gate.InFlight); // lane 1's two expansions and lane 0's combine, nothing else
        Assert.Empty(recorder.Items.OfType<ImageGeneratedEvent>());

        Volatile.Write(ref releaseAll, true);
        gate.Release([.. gate.Started]);
        var events = await recorder.ToEndAsync();
        Assert.IsType<SearchCompletedEvent>(events[^1]);
        Assert.Equal(2, events.OfType<CandidateScoredEvent>().Count());
    }

    [Fact]
    public async Task UseFaultInjection_FailsCandidatesOfAnyProvider_Deterministically()
    {
        async Task<string[]> FailuresAsync()
        {
            var simulated = SimulatedProviders.Create(11, SimulatedProvidersOptions.Instant());
            await using var services = Registered(simulated)
                .AddStreamingBeam()
                .UseFaultInjection(new FaultInjectionOptions { Seed = 3, FailureRate = 0.15, InvalidOutputRate = 0.1 })
                .Services.BuildServiceProvider();
            var events = await services.GetRequiredService<IBeamSearchEngine>()
                .SearchStreamingAsync("a fox", new BeamSearchOptions { BeamWidth = 12, KeepTop = 3, MaxIterations = 2, MaxFailureRatio = 1 })
                .ToListAsync();
            return [.. events.OfType<CandidateFailedEvent>().Select(f => $"{f.CandidateId}:{f.Stage}:{f.Exception.GetType().Name}")];
        }

        var first = await FailuresAsync();

        Assert.Contains(first, f => f.EndsWith(nameof(SimulatedFaultException), StringComparison.Ordinal));
        Assert.Contains(first, f => f.EndsWith(nameof(ProviderOutputException), StringComparison.Ordinal));
        Assert.Equal(first, await FailuresAsync());
    }

    [Fact]
    public async Task ExtractionFaultInjectionAndGates_WrapEveryExtractor()
    {
        var gate = new CallGate();
        var services = new ServiceCollection();
        services.AddAtomicExtraction()
            .AddExtractor(new SyncExtractor("a"))
            .AddExtractor(new SyncExtractor("b"))
            .UseCallGate(gate)
            .UseFaultInjection(new FaultInjectionOptions { FailureRate = 1 });
        await using var provider = services.BuildServiceProvider();
        var recorder = StreamRecorder<ExtractionUpdate>.Start(
            provider.GetRequiredService<IExtractionEngine>().ExtractStreamingAsync(ExtractionTestKit.Input));

        await gate.WaitForStartAsync("a");
        await gate.WaitForStartAsync("b");
        Assert.Empty(recorder.Items);
        gate.Release("a", "b");
        var updates = await recorder.ToEndAsync();

        Assert.All(updates, u => Assert.IsType<SimulatedFaultException>(u.Error));
        Assert.Equal(["a", "b"], updates.Select(u => u.ExtractorName).Order());
    }

    [Fact]
    public async Task MissingProvider_IsNamedWhenTheEngineIsResolved()
    {
        var services = new ServiceCollection();
        services.AddSingleton(Substitute.For<ILlmClient>());
        services.AddStreamingBeam();
        await using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IBeamSearchEngine>());
        Assert.StartsWith("AddStreamingBeam needs an IImageGenerator registered in the service collection", ex.Message, StringComparison.Ordinal);
    }

    private static ServiceCollection Registered(GatedBeamProviders providers)
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILlmClient>(providers.Llm).AddSingleton<IImageGenerator>(providers.Images).AddSingleton<IVisionScorer>(providers.Scorer);
        return services;
    }

    private static ServiceCollection Registered(SimulatedProviders providers)
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILlmClient>(providers.Llm)
            .AddSingleton<IImageGenerator>(providers.ImageGenerator)
            .AddSingleton<IVisionScorer>(providers.VisionScorer);
        return services;
    }

    private static int Combines(CallGate gate) => gate.Started.Count(key => key.StartsWith("combine:", StringComparison.Ordinal));

    private sealed class TracingLlm(ILlmClient inner, string name, ConcurrentQueue<string> trace) : DelegatingLlmClient(inner)
    {
        public override async Task<LlmResponse> CombineAsync(CombineRequest request, CancellationToken cancellationToken = default)
        {
            trace.Enqueue($"{name}>combine");
            var response = await base.CombineAsync(request, cancellationToken);
            trace.Enqueue($"{name}<combine");
            return response;
        }
    }

    private sealed class TracingImages(IImageGenerator inner, string name, ConcurrentQueue<string> trace) : DelegatingImageGenerator(inner)
    {
        public override async Task<GeneratedImage> GenerateAsync(string prompt, CancellationToken cancellationToken = default)
        {
            trace.Enqueue($"{name}>image");
            var image = await base.GenerateAsync(prompt, cancellationToken);
            trace.Enqueue($"{name}<image");
            return image;
        }
    }

    private sealed class TracingExtractor(IExtractor inner, string name, ConcurrentQueue<string> trace) : DelegatingExtractor(inner)
    {
        public override async Task<ExtractorOutput> ExtractAsync(ExtractionContext context, CancellationToken cancellationToken = default)
        {
            trace.Enqueue($"{name}>{Name}");
            var output = await base.ExtractAsync(context, cancellationToken);
            trace.Enqueue($"{name}<{Name}");
            return output;
        }
    }
}
