using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using StreamingBeam.Extensions.AI;
using StreamingBeam.Samples.Console.Cli;
using StreamingBeam.Testing;

namespace StreamingBeam.Samples.Console.Beam;

/// <summary>The three beam-search providers the sample runs on: simulated by default, or a real OpenAI-compatible
/// service when <c>OPENAI_API_KEY</c> is set. <see cref="Prices"/> is <see langword="null"/> for providers that price
/// every call themselves (the simulated ones).</summary>
internal sealed record BeamProviders(ILlmClient Llm, StreamingBeam.IImageGenerator Images, IVisionScorer Scorer, string Description, ProviderPrices? Prices = null)
{
    /// <summary>Gets what the provider's quota refused, for the summary, or <see langword="null"/> without a quota.</summary>
    public Func<string>? QuotaSummary { get; init; }

    public static BeamProviders Simulated(long seed, SimulatedProvidersOptions? options = null, ImageQuota? quota = null)
    {
        options ??= new SimulatedProvidersOptions();
        if (quota is { } q)
        {
            options.ImageGenerator.Quota = q.ToOptions();
        }

        var providers = SimulatedProviders.Create(seed, options);
        var images = providers.ImageGenerator;
        return new(providers.Llm, images, providers.VisionScorer,
            quota is null ? $"simulated providers, seed {seed}" : $"simulated providers, seed {seed}, image quota {quota}")
        {
            QuotaSummary = quota is null ? null : () => $"{quota}; {ConsoleText.Count(images.RateLimitedCalls, "image call")} refused with HTTP 429",
        };
    }

    /// <summary>Builds real providers from the environment, or returns <see langword="null"/> when no key is set.</summary>
    /// <remarks>
    /// <c>OPENAI_API_KEY</c> (required), <c>OPENAI_BASE_URL</c> (any OpenAI-compatible endpoint, for example a local
    /// Ollama or vLLM server), <c>OPENAI_CHAT_MODEL</c> (default gpt-4o-mini, writes and judges),
    /// <c>OPENAI_IMAGE_MODEL</c> (default gpt-image-1); the prices not given in <paramref name="prices"/> come from the
    /// <c>STREAMINGBEAM_PRICE_*</c> variables. The OpenAI client's own retries are off: the engine retries, and its
    /// retries would otherwise multiply with the client's (3 by default).
    /// </remarks>
    /// <exception cref="SampleUsageException">A price variable is not a price, or a pair of token prices is half given.</exception>
    public static BeamProviders? FromEnvironment(Func<string, string?> getVariable, ProviderPrices? prices = null)
    {
        var key = getVariable("OPENAI_API_KEY");
        if (string.IsNullOrWhiteSpace(key))
        {
            return null;
        }

        prices = (prices ?? ProviderPrices.None).WithEnvironment(getVariable);
        var options = new OpenAIClientOptions { RetryPolicy = new ClientRetryPolicy(maxRetries: 0) };
        if (getVariable("OPENAI_BASE_URL") is { Length: > 0 } baseUrl)
        {
            options.Endpoint = new Uri(baseUrl);
        }

        var client = new OpenAIClient(new ApiKeyCredential(key), options);
        var chatModel = getVariable("OPENAI_CHAT_MODEL") is { Length: > 0 } chat ? chat : "gpt-4o-mini";
        var imageModel = getVariable("OPENAI_IMAGE_MODEL") is { Length: > 0 } image ? image : "gpt-image-1";
        var chatClient = client.GetChatClient(chatModel).AsIChatClient();

#pragma warning disable MEAI001, SBAI001 // Image generation through Microsoft.Extensions.AI is experimental; the sample opts in knowingly.
        var images = new ImageGeneratorAdapter(client.GetImageClient(imageModel).AsIImageGenerator(), prices.ImageOptions());
#pragma warning restore MEAI001, SBAI001

        return new(
            new ChatClientLlm(chatClient, prices.LlmOptions()),
            images,
            new ChatClientVisionScorer(chatClient, prices.ScorerOptions()),
            $"{chatModel} and {imageModel} at {options.Endpoint?.ToString() ?? "OpenAI"}",
            prices);
    }

    /// <summary>"cost 0.0123", or "cost unknown (set ...)" when a real provider that was used has no price.</summary>
    public string DescribeCost(ProviderUsage usage) => Prices?.DescribeCost(usage) ?? ProviderPrices.Cost(usage.Cost);
}
