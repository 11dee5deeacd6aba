using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StreamingBeam.Testing;

namespace StreamingBeam.Tests.DependencyInjection;

public class AddStreamingBeamTests
{
    [Fact]
    public async Task Engine_IsResolvedFromTheRegisteredProviders_AndRuns()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        var services = new ServiceCollection()
            .AddSingleton<ILlmClient>(providers.Llm)
            .AddSingleton<IImageGenerator>(providers.Images)
            .AddSingleton<IVisionScorer>(providers.Scorer)
            .AddStreamingBeam(o =>
            {
                o.DefaultSearch.BeamWidth = 2;
                o.DefaultSearch.KeepTop = 1;
                o.DefaultSearch.MaxIterations = 1;
            }).Services;
        await using var provider = services.BuildServiceProvider();

        var engine = provider.GetRequiredService<IBeamSearchEngine>();
        var result = await engine.SearchAsync("a fox");

        Assert.Same(engine, provider.GetRequiredService<IBeamSearchEngine>());
        Assert.Equal(2, result.CandidatesScored);
    }

    [Fact]
    public async Task Engine_UsesTheRegisteredCheckpointStore_ToSaveAndResume()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        var store = new InMemoryBeamCheckpointStore();
        var services = new ServiceCollection()
            .AddSingleton<ILlmClient>(providers.Llm)
            .AddSingleton<IImageGenerator>(providers.Images)
            .AddSingleton<IVisionScorer>(providers.Scorer)
            .AddSingleton<IBeamCheckpointStore>(store)
            .AddStreamingBeam().Services;
        await using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<IBeamSearchEngine>();

        var result = await engine.SearchAsync("a fox", new BeamSearchOptions { BeamWidth = 2, KeepTop = 1, MaxIterations = 2, CheckpointId = "fox" });
        var resumed = await engine.ResumeAsync("fox");

        Assert.Equal(["fox"], store.CheckpointIds);
        Assert.Equal(1, (await store.LoadCheckpointAsync("fox"))!.Iteration);
        Assert.Equal(result.Best.Id, resumed.Best.Id);
        Assert.Equal(result.Usage, resumed.Usage);
    }

    [Fact]
    public async Task InvalidOptions_FailOnResolve_ListingEveryRule()
    {
        var services = new ServiceCollection()
            .AddSingleton(Substitute.For<ILlmClient>())
            .AddSingleton(Substitute.For<IImageGenerator>())
            .AddSingleton(Substitute.For<IVisionScorer>())
            .AddStreamingBeam(o =>
            {
                o.DefaultSearch.KeepTop = 20;
                o.MaxConcurrentLlmCalls = 0;
            }).Services;
        await using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IBeamSearchEngine>());
        Assert.Contains("BeamEngineOptions.DefaultSearch.KeepTop must be between 1 and BeamWidth (9); it was 20", ex.Failures);
        Assert.Contains("BeamEngineOptions.MaxConcurrentLlmCalls must be at least 1, or null for no limit; it was 0", ex.Failures);

        // One sentence per rule, joined by the container with "; " and no stray periods.
        Assert.DoesNotContain(".;", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidOptions_FailAtStartup_WhenValidateOnStartIsChained()
    {
        var services = new ServiceCollection();
        services.AddStreamingBeam(o => o.DefaultSearch.KeepTop = 20).Options.ValidateOnStart();
        await using var provider = services.BuildServiceProvider();

        // What a host runs when it starts, before anything resolves the engine.
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Equal(["BeamEngineOptions.DefaultSearch.KeepTop must be between 1 and BeamWidth (9); it was 20"], ex.Failures);
    }

    [Fact]
    public async Task AddStreamingBeam_CalledTwice_ConfiguresOneEngine()
    {
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        var services = new ServiceCollection()
            .AddSingleton<ILlmClient>(providers.Llm)
            .AddSingleton<IImageGenerator>(providers.Images)
            .AddSingleton<IVisionScorer>(providers.Scorer);
        services.AddStreamingBeam(o => o.DefaultSearch.BeamWidth = 2);
        services.AddStreamingBeam(o => { o.DefaultSearch.KeepTop = 1; o.DefaultSearch.MaxIterations = 1; });
        await using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<IBeamSearchEngine>().SearchAsync("a fox");

        Assert.Single(services, d => d.ServiceType == typeof(IBeamSearchEngine));
        Assert.Equal(2, result.CandidatesScored);
    }
}
