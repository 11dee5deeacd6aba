using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using StreamingBeam.Extensions.AI.Tests.Fakes;
using MeaiImageGenerator = Microsoft.Extensions.AI.IImageGenerator;
using StreamingBeamImageGenerator = StreamingBeam.IImageGenerator;

namespace StreamingBeam.Extensions.AI.Tests.DependencyInjection;

public class ServiceCollectionExtensionsTests
{
    private static readonly GeneratedImage Image = new() { Data = new byte[] { 1 } };

    [Fact]
    public async Task AddChatClientLlm_UsesTheRegisteredChatClientAndOptions()
    {
        var chat = FakeChatClient.Replying("{\"prompt\": \"x\"}", new UsageDetails { InputTokenCount = 10 });
        var services = new ServiceCollection()
            .AddSingleton<IChatClient>(chat)
            .AddChatClientLlm(o => o.CostPerInputToken = 0.5m);
        using var provider = services.BuildServiceProvider();

        var llm = provider.GetRequiredService<ILlmClient>();
        var response = await llm.CombineAsync(new CombineRequest { UserPrompt = "u", What = "w", How = "h" });

        Assert.IsType<ChatClientLlm>(llm);
        Assert.Same(llm, provider.GetRequiredService<ILlmClient>());
        Assert.Single(chat.Calls);
        Assert.Equal(5m, response.Usage.Cost);
    }

    [Fact]
    public async Task AddChatClientVisionScorer_WithKey_UsesTheKeyedChatClient()
    {
        var textChat = FakeChatClient.Replying("{\"prompt\": \"x\"}");
        var visionChat = FakeChatClient.Replying("{\"score\": 5}");
        var services = new ServiceCollection()
            .AddSingleton<IChatClient>(textChat)
            .AddKeyedSingleton<IChatClient>("vision", visionChat)
            .AddChatClientLlm()
            .AddChatClientVisionScorer("vision", o => o.ScoreScale = 5);
        using var provider = services.BuildServiceProvider();

        var score = await provider.GetRequiredService<IVisionScorer>().ScoreAestheticAsync(Image);

        Assert.IsType<ChatClientVisionScorer>(provider.GetRequiredService<IVisionScorer>());
        Assert.Equal(1.0, score.Score);
        Assert.Single(visionChat.Calls);
        Assert.Empty(textChat.Calls);
    }

    [Fact]
    public async Task AddChatClientLlm_WithKey_UsesTheKeyedChatClient()
    {
        var keyed = FakeChatClient.Replying("{\"prompt\": \"keyed\"}");
        var services = new ServiceCollection()
            .AddKeyedSingleton<IChatClient>("writer", keyed)
            .AddChatClientLlm("writer");
        using var provider = services.BuildServiceProvider();

        var response = await provider.GetRequiredService<ILlmClient>().CombineAsync(new CombineRequest { UserPrompt = "u", What = "w", How = "h" });

        Assert.Equal("keyed", response.Text);
    }

    [Fact]
    public async Task AddChatClientVisionScorer_Unkeyed_UsesTheChatClient()
    {
        var chat = FakeChatClient.Replying("{\"score\": 2}");
        using var provider = new ServiceCollection().AddSingleton<IChatClient>(chat).AddChatClientVisionScorer().BuildServiceProvider();

        var score = await provider.GetRequiredService<IVisionScorer>().ScoreAestheticAsync(Image);

        Assert.Equal(0.2, score.Score, precision: 10);
    }

    [Fact]
    public void AddChatClientLlm_NoChatClientRegistered_ThrowsOnResolveNamingWhatIsMissing()
    {
        using var provider = new ServiceCollection().AddChatClientLlm().BuildServiceProvider();

        var exception = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<ILlmClient>());

        Assert.Equal(
            "AddChatClientLlm needs an IChatClient registered in the service collection, and none is. " +
            "Register one first, for example with services.AddChatClient(...) from Microsoft.Extensions.AI.",
            exception.Message);
    }

    [Fact]
    public void AddChatClientVisionScorer_KeyedChatClientMissing_ThrowsOnResolveNamingTheKey()
    {
        using var provider = new ServiceCollection()
            .AddSingleton<IChatClient>(new FakeChatClient())
            .AddChatClientVisionScorer("vision")
            .BuildServiceProvider();

        var exception = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IVisionScorer>());

        Assert.Contains("under the key 'vision'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddChatClientLlm_InvalidOptions_ThrowsAtRegistration()
    {
        var services = new ServiceCollection();

        var exception = Assert.Throws<ArgumentException>(() => services.AddChatClientLlm(o => o.CostPerInputToken = -1m));

        Assert.Equal(
            "ChatClientLlmOptions is not valid: ChatClientLlmOptions.CostPerInputToken must be zero or greater; it was -1.",
            exception.Message);
        Assert.Empty(services);
    }

    [Fact]
    public void AddChatClientVisionScorer_InvalidOptions_ThrowsAtRegistration()
    {
        var services = new ServiceCollection();

        Assert.Throws<ArgumentException>(() => services.AddChatClientVisionScorer("vision", o => o.ScoreScale = double.NaN));
        Assert.Empty(services);
    }

    [Fact]
    public async Task AddImageGeneratorAdapter_UsesTheRegisteredGenerator()
    {
        var generator = new FakeImageGenerator();
        using var provider = new ServiceCollection()
            .AddSingleton<MeaiImageGenerator>(generator)
            .AddImageGeneratorAdapter(o => o.CostPerImage = 0.25m)
            .BuildServiceProvider();

        var adapter = provider.GetRequiredService<StreamingBeamImageGenerator>();
        var image = await adapter.GenerateAsync("a fox");

        Assert.IsType<ImageGeneratorAdapter>(adapter);
        Assert.Equal(0.25m, image.Usage.Cost);
        Assert.Single(generator.Calls);
    }

    [Fact]
    public async Task AddImageGeneratorAdapter_WithKey_UsesTheKeyedGenerator()
    {
        var unkeyed = new FakeImageGenerator();
        var keyed = new FakeImageGenerator();
        using var provider = new ServiceCollection()
            .AddSingleton<MeaiImageGenerator>(unkeyed)
            .AddKeyedSingleton<MeaiImageGenerator>("images", keyed)
            .AddImageGeneratorAdapter("images")
            .BuildServiceProvider();

        await provider.GetRequiredService<StreamingBeamImageGenerator>().GenerateAsync("a fox");

        Assert.Single(keyed.Calls);
        Assert.Empty(unkeyed.Calls);
    }

    [Fact]
    public void AddImageGeneratorAdapter_NoGeneratorRegistered_ThrowsOnResolve()
    {
        using var provider = new ServiceCollection().AddImageGeneratorAdapter().BuildServiceProvider();

        var exception = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<StreamingBeamImageGenerator>());

        Assert.StartsWith("AddImageGeneratorAdapter needs a Microsoft.Extensions.AI.IImageGenerator registered", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NullArguments_Throw()
    {
        IServiceCollection services = new ServiceCollection();

        Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddChatClientLlm());
        Assert.Throws<ArgumentNullException>(() => services.AddChatClientLlm((object)null!));
        Assert.Throws<ArgumentNullException>(() => services.AddChatClientVisionScorer((object)null!));
        Assert.Throws<ArgumentNullException>(() => services.AddImageGeneratorAdapter((object)null!));
    }
}
