namespace StreamingBeam.Extensions.AI;

/// <summary>The diagnostic ids this package uses.</summary>
internal static class DiagnosticIds
{
    /// <summary>Marks the adapter over Microsoft.Extensions.AI's image generation, which is itself experimental
    /// (MEAI001) and may change in any Microsoft.Extensions.AI release.</summary>
    public const string ExperimentalImageGeneration = "SBAI001";
}
