using Polly;

namespace StreamingBeam.Tests.Providers.Polly;

/// <summary>docs/polly.md's decorator, as a user writes it: every image call runs through the user's Polly pipeline,
/// with the engine's token.</summary>
public sealed class ResilientImageGenerator(IImageGenerator inner, ResiliencePipeline pipeline) : DelegatingImageGenerator(inner)
{
    public override async Task<GeneratedImage> GenerateAsync(string prompt, CancellationToken cancellationToken = default) =>
        await pipeline.ExecuteAsync(async token => await InnerGenerator.GenerateAsync(prompt, token), cancellationToken);
}
