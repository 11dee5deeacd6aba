using System.Text.Json.Nodes;

namespace StreamingBeam.Testing.Tests.Simulation;

/// <summary>Builders for the requests the tests send.</summary>
internal static class Requests
{
    public const string UserPrompt = "a red fox in a snowy forest";

    public static ExpandRequest Expand(PromptDimension dimension, int variant, string userPrompt = UserPrompt) =>
        new() { UserPrompt = userPrompt, Dimension = dimension, VariantIndex = variant };

    public static CombineRequest Combine(string what, string how) =>
        new() { UserPrompt = UserPrompt, What = what, How = how };

    public static CritiqueRequest Critique(PromptDimension dimension, string what, string how, double alignment = 0.5, double aesthetic = 0.5) =>
        new()
        {
            UserPrompt = UserPrompt,
            Dimension = dimension,
            What = what,
            How = how,
            CombinedPrompt = what + ". " + how + ".",
            Alignment = alignment,
            Aesthetic = aesthetic,
        };

    public static RefineRequest Refine(PromptDimension dimension, string what, string how, string critique, int variant) =>
        new() { UserPrompt = UserPrompt, Dimension = dimension, What = what, How = how, Critique = critique, VariantIndex = variant };

    public static ExtractionInput Input(string text) =>
        new() { Data = System.Text.Encoding.UTF8.GetBytes(text), MediaType = "text/plain", Name = "input" };
}

/// <summary>An extraction context over one input, with no artifacts and no dependencies.</summary>
internal sealed class InputOnlyContext(ExtractionInput input) : ExtractionContext
{
    public override ExtractionInput Input { get; } = input;

    public override ValueTask<T> GetArtifactAsync<T>(ArtifactKey<T> key, CancellationToken cancellationToken = default) =>
        throw new KeyNotFoundException(key.Name);

    public override JsonObject? GetDependencyResult(string extractorName) => null;

    public override void PublishProvisional(JsonObject tokens)
    {
    }
}
