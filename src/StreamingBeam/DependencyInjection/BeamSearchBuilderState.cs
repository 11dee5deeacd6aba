using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace StreamingBeam;

/// <summary>Everything added through <see cref="BeamSearchBuilder"/>, kept in the service collection so that several
/// calls to <c>AddStreamingBeam</c> configure one engine.</summary>
internal sealed class BeamSearchBuilderState
{
    public ProviderPipeline<ILlmClient> Llm { get; } = new();

    public ProviderPipeline<IImageGenerator> Images { get; } = new();

    public ProviderPipeline<IVisionScorer> Scorer { get; } = new();

    public BeamSearchEngine Build(IServiceProvider services) => new(
        Llm.Build(Require<ILlmClient>(services), services, nameof(BeamSearchBuilder.UseLlmClient)),
        Images.Build(Require<IImageGenerator>(services), services, nameof(BeamSearchBuilder.UseImageGenerator)),
        Scorer.Build(Require<IVisionScorer>(services), services, nameof(BeamSearchBuilder.UseVisionScorer)),
        services.GetRequiredService<IOptions<BeamEngineOptions>>().Value,
        services.GetService<ILoggerFactory>(),
        services.GetService<TimeProvider>(),
        services.GetService<IBeamCheckpointStore>(),
        services.GetService<IMeterFactory>());

    private static T Require<T>(IServiceProvider services)
        where T : class =>
        services.GetService<T>() ?? throw new InvalidOperationException(
            $"AddStreamingBeam needs an {typeof(T).Name} registered in the service collection; none is. Register one (for example "
            + "with StreamingBeam.Extensions.AI's AddChatClientLlm / AddChatClientVisionScorer / AddImageGeneratorAdapter, or "
            + "StreamingBeam.Testing's simulated providers) before resolving IBeamSearchEngine.");
}
